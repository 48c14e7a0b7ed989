import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../domain/actor.ts';
import type { Role } from '../../domain/api/roles.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createCompileRoundService, formatDocNumber, sanitizeFileBaseName } from './compile-round.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createRoundService } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');

async function setUp(database: TestDatabase) {
  const now = () => new Date('2017-09-20T09:00:00+08:00');
  const system: Actor = { kind: 'system', name: 'test', userId: null };
  const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
  const units = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  let nextUser = 100;
  const person = (role: Role, unitName?: string): Actor => ({
    kind: 'user', userId: nextUser++, username: `${role}-${unitName ?? 'x'}`, name: `${role}${unitName ?? ''}`, role,
    unitId: unitName ? units.get(unitName)! : null,
  });
  const deps = { database, now };
  return {
    planId: imported.planId,
    roundId: imported.roundId,
    unit: (name: string) => units.get(name)!,
    office: person('office'),
    leader: person('leader'),
    reporter: person('reporter', '环评处'),
    admin: person('system_admin'),
    rounds: createRoundService({ ...deps, warnDays: 3 }),
    answers: createAnswerService(deps),
    submissions: createSubmissionService(deps),
    compile: createCompileRoundService(deps),
  };
}

const forbidden = (error: unknown) => isDomainError(error) && error.kind === 'forbidden';

forEachEngine('compile round', (it) => {
  it('compiles the imported Q2 round with its stored notice, every imported entry counting', async (database) => {
    const s = await setUp(database);
    const compiled = await s.compile.compileRound(s.office, s.roundId);
    assert.equal(compiled.notice.docNumber, '川环办发〔2017〕102号');
    assert.equal(compiled.fileBaseName, '川环办发〔2017〕102号-2017年第二季度工作推进情况通报');
    assert.equal(compiled.table.rows.length, 111);
    assert.ok(compiled.table.rows.filter((row) => row.answered).length > 100, 'imported progress is in the table');
    const byLeader = await s.compile.compileRound(s.leader, s.roundId);
    assert.deepEqual(byLeader.table, compiled.table, 'leaders read the same compilation');
  });

  it('refuses reporters and the system admin', async (database) => {
    const s = await setUp(database);
    await assert.rejects(s.compile.compileRound(s.reporter, s.roundId), forbidden);
    await assert.rejects(s.compile.compileRound(s.admin, s.roundId), forbidden);
  });

  it('leaves drafts out of a round run in the app and takes submitted answers in', async (database) => {
    const s = await setUp(database);
    const round = await s.rounds.openRound(s.office, s.planId, {
      label: '2017年第三季度', periodStart: '2017-07-01', periodEnd: '2017-09-30', deadline: '2017-10-10', note: null, requiresApproval: false,
    });
    const unitId = s.unit('环评处');
    const todo = await s.answers.todo(s.reporter, round.id, unitId);
    const item = todo.items[0]!;
    await s.answers.saveAnswer(s.reporter, round.id, item.task.id, unitId, { text: '草稿：尚未核实的进展。', status: 'on_track', reason: null, version: 0 });
    const draft = await s.compile.compileRound(s.office, round.id);
    assert.ok(!draft.table.rows.some((row) => row.progress.includes('草稿：尚未核实的进展。')), 'a draft never goes into the official table');
    assert.equal(draft.notice.docNumber, null, 'a new round falls back to the default notice');
    assert.match(draft.notice.title ?? '', /2017年第三季度工作推进情况的通报$/);
    assert.equal(draft.fileBaseName, '2017年第三季度工作推进情况通报');

    for (const [i, other] of todo.items.entries())
      if (i > 0) await s.answers.saveAnswer(s.reporter, round.id, other.task.id, unitId, { text: `第${i}项已推进。`, status: 'on_track', reason: null, version: 0 });
    await s.submissions.submit(s.reporter, round.id, unitId);
    const submitted = await s.compile.compileRound(s.office, round.id);
    assert.ok(submitted.table.rows.some((row) => row.progress.includes('草稿：尚未核实的进展。')), 'a submitted answer is compiled');
  });
});

test('doc numbers render without leading zeros; file names lose what file systems refuse', () => {
  assert.equal(formatDocNumber('川环办发', 2017, Number('0102')), '川环办发〔2017〕102号');
  assert.equal(sanitizeFileBaseName(' a/b:c*?"<>|. '), 'a_b_c______');
});
