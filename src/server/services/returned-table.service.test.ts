import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Actor, UserActor } from '../../domain/actor.ts';
import { NO_ANSWER_TEXT } from '../../domain/compiled-table.ts';
import { isDomainError } from '../../domain/errors.ts';
import { tasksOf, type PlanDocument, type PlanTask } from '../../domain/plan-document.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import type { Database } from '../db/database.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createReturnedTableService } from './returned-table.service.ts';
import { createRoundService } from './round.service.ts';

/**
 * How rows of a returned table find their tasks and how a unit's text is taken from a cell
 * (decision 015), with the table given as diaodu.plan/1 JSON so each case is exact: the readers
 * of Word and Excel tables give the same document (tests/integration/returned-table-api.test.ts).
 */

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');
const office: UserActor = { kind: 'user', userId: 1, username: 'office', name: '办公室', role: 'office', unitId: null };
const system: Actor = { kind: 'system', name: 'test', userId: null };

/** The round's table as a unit gets it: the seed's plan, this round's label, no progress yet. */
function roundDocument(label: string): PlanDocument {
  const document = structuredClone(seed.document);
  document.round = { label, periodStart: null, periodEnd: null };
  for (const { task } of tasksOf(document)) task.progress = [];
  return document;
}

const asFile = (document: PlanDocument, fileName = '回传.json') => ({ fileName, bytes: new TextEncoder().encode(JSON.stringify(document)) });

async function setUp(database: Database) {
  const now = () => new Date('2017-09-20T09:00:00+08:00');
  const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
  const unitIds = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  const unitId = unitIds.get('环评处')!;
  const rounds = createRoundService({ database, now });
  const round = await rounds.openRound(office, imported.planId, {
    label: '2017年第三季度',
    periodStart: null,
    periodEnd: null,
    deadline: '2017-10-10',
    note: null,
    requiresApproval: false,
  });
  const me: UserActor = { kind: 'user', userId: 101, username: 'huanping', name: '环评处填报员', role: 'reporter', unitId };
  const answers = createAnswerService({ database, now });
  const todo = await answers.todo(me, round.id, unitId);
  return { now, rounds, round, unitId, me, answers, todo, service: createReturnedTableService({ database, now }) };
}

/** The document's task with this exact text. */
function taskIn(document: PlanDocument, text: string): PlanTask {
  const found = [...tasksOf(document)].find(({ task }) => task.text === text);
  assert.ok(found, `no task ${text.slice(0, 20)}`);
  return found.task;
}

forEachEngine('returned tables: matching rows and taking the unit’s text', (it) => {
  it('matches by text whatever the spaces and widths, then by place when the text was edited a little; lists rows it cannot place and the unit’s tasks the file lacks', async (database) => {
    const { round, unitId, me, todo, service } = await setUp(database);
    const items = todo.items;
    const [a, b, c, d] = [items[0]!, items[1]!, items[2]!, items[3]!];
    const document = roundDocument('2017年第三季度');

    // a: Word put spaces inside the text and Excel made the commas half-width; the answer is typed.
    const rowA = taskIn(document, a.task.text);
    rowA.text = [...a.task.text.replace(/，/g, ',')].join(' ');
    rowA.progress = [{ unit: '环评处', text: '甲：已完成。' }];
    // b: the reporter "corrected" a few characters of the task text itself.
    const rowB = taskIn(document, b.task.text);
    rowB.text = `${b.task.text.slice(0, -3)}（修订）。`;
    rowB.progress = [{ unit: '环评处', text: '乙：按期推进。' }];
    // c: a row pasted from another plan, and a second copy of a.
    const section = document.chapters.flatMap((ch) => ch.sections).find((s) => s.tasks.includes(rowA))!;
    section.tasks.push(
      { ...structuredClone(rowA), progress: [{ unit: '环评处', text: '重复的一行' }] },
      {
        text: '一项本轮没有的任务：建设全省统一的环境大数据平台',
        leadDepartment: null,
        leaders: [],
        units: [],
        progress: [{ unit: null, text: '无关' }],
        warnings: [],
      },
    );
    // d: its row was deleted.
    const sectionOfD = document.chapters.flatMap((ch) => ch.sections).find((s) => s.tasks.some((t) => t.text === d.task.text))!;
    sectionOfD.tasks = sectionOfD.tasks.filter((t) => t.text !== d.task.text);
    void c;

    const result = await service.preview(me, round.id, unitId, asFile(document));
    const item = (taskId: number) => result.items.find((i) => i.taskId === taskId);
    assert.equal(item(a.task.id)?.matchedBy, 'text');
    assert.equal(item(a.task.id)?.after, '甲：已完成。');
    assert.equal(item(b.task.id)?.matchedBy, 'position');
    assert.equal(item(b.task.id)?.after, '乙：按期推进。');
    assert.match(item(b.task.id)!.notes[0]!, /任务文字与本轮不完全相同（表中为“.+”），按第\d+行所在的章、节和位置对应/);
    assert.deepEqual(
      result.unmatched.map((u) => [u.textHead.slice(0, 6), u.reason.replace(/\d+/, 'N')]),
      [
        [[...rowA.text].slice(0, 6).join(''), '与表中第N行是同一项任务，重复的一行未导入'],
        ['一项本轮没有', '本轮没有这项任务（任务文字和位置都对不上），未导入'],
      ],
    );
    assert.deepEqual(
      result.missing.map((m) => m.taskId),
      [d.task.id],
    );
    assert.equal(result.items.length, items.length - 1);
    assert.equal(result.rows, [...tasksOf(seed.document)].length + 1, 'one deleted, two added');
    assert.equal(result.ignored, result.rows - result.items.length - result.unmatched.length);
  });

  it('takes the unit’s own entries; unattributed text only for the lead unit; other units’ entries never; our “no answer” mark is not text', async (database) => {
    const { round, unitId, me, todo, service } = await setUp(database);
    const led = todo.items.filter((i) => i.task.role === 'lead');
    const co = todo.items.find((i) => i.task.role === 'co')!;
    const ledWithCoUnit = led.find((i) => taskIn(seed.document, i.task.text).units.length > 1)!;
    const coUnit = taskIn(seed.document, ledWithCoUnit.task.text).units.find((u) => u.name !== '环评处')!.name;
    const plainLed = led.find((i) => i !== ledWithCoUnit)!;
    const document = roundDocument('2017年第三季度');
    taskIn(document, ledWithCoUnit.task.text).progress = [
      { unit: '环评处', text: '本单位的文字。' },
      { unit: coUnit, text: '配合单位的文字。' },
      { unit: null, text: '末尾未署名的补充。' },
    ];
    taskIn(document, plainLed.task.text).progress = [{ unit: null, text: `${NO_ANSWER_TEXT}\n在“未报送”下面写的进展。` }];
    taskIn(document, co.task.text).progress = [{ unit: null, text: '配合任务里未署名的文字。' }];

    const result = await service.preview(me, round.id, unitId, asFile(document));
    const item = (taskId: number) => result.items.find((i) => i.taskId === taskId)!;
    assert.equal(item(ledWithCoUnit.task.id).after, '本单位的文字。\n末尾未署名的补充。');
    assert.deepEqual(item(ledWithCoUnit.task.id).notes, ['单元格中未署名的文字按牵头单位的填报归入本单位', `单元格中${coUnit}署名的文字不属于本单位，未导入`]);
    assert.equal(item(plainLed.task.id).after, '在“未报送”下面写的进展。');
    assert.equal(item(co.task.id).after, '');
    assert.equal(item(co.task.id).change, 'unchanged');
    assert.deepEqual(
      result.items.filter((i) => i.change === 'new').map((i) => i.taskId),
      [ledWithCoUnit.task.id, plainLed.task.id].sort((x, y) => item(x).number - item(y).number),
    );
  });

  it('a title without a round label is read against this round; another round’s table is refused; a closed round previews but does not apply', async (database) => {
    const { round, unitId, me, todo, service, rounds } = await setUp(database);
    const unnamed = roundDocument('未命名轮次');
    taskIn(unnamed, todo.items[0]!.task.text).progress = [{ unit: '环评处', text: '新进展' }];
    const preview = await service.preview(me, round.id, unitId, asFile(unnamed));
    assert.match(preview.notes.join(' '), /表格标题中没有写调度轮次，按“2017年第三季度”对照/);
    assert.equal(preview.items.filter((i) => i.change === 'new').length, 1);

    await assert.rejects(
      service.preview(me, round.id, unitId, asFile(roundDocument('2017年 第 四 季度'), '四季度.json')),
      (error) => isDomainError(error) && error.code === 'returned_table_wrong_round' && /四季度\.json：这是“2017年 第 四 季度”的调度表/.test(error.message),
    );

    await rounds.closeRound(office, round.id);
    const closed = await service.preview(me, round.id, unitId, asFile(unnamed));
    assert.equal(closed.submission.editable, false);
    assert.match(closed.notes.join(' '), /已结束或不接受填报，只能预览/);
    const versions = Object.fromEntries(closed.items.map((i) => [i.taskId, i.version]));
    await assert.rejects(
      service.apply(me, round.id, unitId, asFile(unnamed), { expectedVersions: versions }),
      (error) => isDomainError(error) && error.code === 'round_not_open',
    );
    const stored = await database.db.selectFrom('progress_entries').select('id').where('round_id', '=', round.id).execute();
    assert.equal(stored.length, 0);
  });
});
