import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../domain/actor.ts';
import type { Role } from '../../domain/api/roles.ts';
import { isCollectiveUnitName } from '../../domain/collective-units.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createRoundService, trafficLight } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');

/** A clock the test moves: the server's clock decides deadlines. */
function clock(start = '2017-09-20T09:00:00+08:00') {
  let current = new Date(start);
  return { now: () => current, set: (iso: string) => (current = new Date(iso)) };
}

async function setUp(database: TestDatabase) {
  const time = clock();
  const system: Actor = { kind: 'system', name: 'test', userId: null };
  const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
  const units = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  const unit = (name: string) => units.get(name)!;
  let nextUser = 100;
  const person = (role: Role, unitName?: string): Actor => ({
    kind: 'user',
    userId: nextUser++,
    username: `${role}-${unitName ?? 'x'}`,
    name: `${role}${unitName ?? ''}`,
    role,
    unitId: unitName ? unit(unitName) : null,
  });
  const deps = { database, now: time.now };
  return {
    time,
    planId: imported.planId,
    unit,
    office: person('office'),
    leader: person('leader'),
    huanping: person('reporter', '环评处'),
    huanping2: person('reporter', '环评处'),
    huanpingHead: person('unit_head', '环评处'),
    guicai: person('reporter', '规财处'),
    guicaiHead: person('unit_head', '规财处'),
    admin: person('system_admin'),
    rounds: createRoundService({ ...deps, warnDays: 3 }),
    answers: createAnswerService(deps),
    submissions: createSubmissionService(deps),
  };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

async function openQ3(s: Setup, options: { requiresApproval?: boolean; deadline?: string | null } = {}) {
  return s.rounds.openRound(s.office, s.planId, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: options.deadline === undefined ? '2017-10-10' : options.deadline,
    note: '请各单位按时填报',
    requiresApproval: options.requiresApproval ?? false,
  });
}

/** Fills every task of the unit in the round and returns the saved answers. */
async function fillAll(s: Setup, actor: Actor, roundId: number, unitId: number, text = (n: number) => `第${n}项已按期推进。`) {
  const todo = await s.answers.todo(actor, roundId, unitId);
  for (const [i, item] of todo.items.entries())
    await s.answers.saveAnswer(actor, roundId, item.task.id, unitId, { text: text(i + 1), status: 'on_track', reason: null, version: item.answer.version });
  return todo;
}

const rejects = async (promise: Promise<unknown>, kind: string, code: string) =>
  assert.rejects(promise, (error: unknown) => isDomainError(error) && error.kind === kind && error.code === code);

async function auditCount(database: TestDatabase, action: string) {
  const rows = await database.db.selectFrom('audit_events').select('id').where('action', '=', action).execute();
  return rows.length;
}

forEachEngine('round workflow', (it) => {
  it('opens a round over every task and gives every responsible unit its to-do list', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    assert.equal(round.status, 'open');
    assert.equal(round.tasks, 111);
    assert.equal(round.deadline, '2017-10-10T23:59:59+08:00', 'a date-only deadline is the end of that day in China');
    const board = await s.rounds.board(s.office, round.id);
    // Collective names (各处(室), 直属单位) are not units anyone answers for: not on the board (migration 012).
    const assigned = new Set(seed.document.chapters.flatMap((c) => c.sections.flatMap((sec) => sec.tasks.flatMap((t) => t.units.map((u) => u.name).filter((name) => !isCollectiveUnitName(name))))));
    assert.deepEqual(board.rows.map((row) => row.unitName).sort(), [...assigned].sort(), 'every responsible unit is on the board');
    assert.ok(board.rows.every((row) => row.state === 'not_started'));

    const todo = await s.answers.todo(s.huanping, round.id, s.unit('环评处'));
    const chengdu = todo.items.find((item) => item.task.text.startsWith('推动成都平原经济区'))!;
    assert.equal(chengdu.task.role, 'lead');
    assert.deepEqual(chengdu.task.leaders, ['高洁', '钟勤建']);
    assert.match(chengdu.previousText!, /^积极指导和争取环保部支持推进天府新区规划环评工作/, "last round's own text beside the box");
    assert.deepEqual(chengdu.coUnitAnswers.map((a) => a.unitName), ['规财处']);
    assert.equal(chengdu.answer.version, 0);

    await rejects(openQ3(s), 'conflict', 'round_label_taken');
  });

  it('lets the lead unit and a co-unit each save their first answer on the same task', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const taskOf = async (actor: Actor, unitName: string) =>
      (await s.answers.todo(actor, round.id, s.unit(unitName))).items.find((item) => item.task.text.startsWith('推动成都平原经济区'))!;
    const lead = await taskOf(s.huanping, '环评处');
    const co = await taskOf(s.guicai, '规财处');
    assert.equal(lead.task.id, co.task.id);
    await s.answers.saveAnswer(s.huanping, round.id, lead.task.id, s.unit('环评处'), { text: '环评处：已完成规划环评审查。', status: 'on_track', reason: null, version: 0 });
    const saved = await s.answers.saveAnswer(s.guicai, round.id, co.task.id, s.unit('规财处'), { text: '规财处：资金已下达。', status: 'on_track', reason: null, version: 0 });
    assert.equal(saved.version, 1);
    const again = await taskOf(s.huanping, '环评处');
    assert.deepEqual(
      again.coUnitAnswers.map((a) => [a.unitName, a.text]),
      [['规财处', '规财处：资金已下达。']],
      "the lead unit sees the co-unit's words beside its own box",
    );
  });

  it('saves drafts with versions; a stale or missing version gets 409 with both texts and changes nothing', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('环评处');
    const task = (await s.answers.todo(s.huanping, round.id, unitId)).items[0]!.task;

    const first = await s.answers.saveAnswer(s.huanping, round.id, task.id, unitId, { text: '第一稿', status: 'on_track', reason: null, version: 0 });
    assert.equal(first.version, 1);
    const second = await s.answers.saveAnswer(s.huanping2, round.id, task.id, unitId, { text: '同事的修改', status: 'on_track', reason: null, version: 1 });
    assert.equal(second.version, 2);

    const mine = '我在另一个窗口写的文字，\n含换行与 “引号”。';
    await assert.rejects(
      s.answers.saveAnswer(s.huanping, round.id, task.id, unitId, { text: mine, status: 'delayed', reason: '等待批复', version: 1 }),
      (error: unknown) => {
        assert.ok(isDomainError(error) && error.kind === 'conflict' && error.code === 'answer_stale');
        const details = error.details as { stored: { text: string; version: number }; yours: { text: string } };
        assert.equal(details.stored.text, '同事的修改');
        assert.equal(details.stored.version, 2);
        assert.equal(details.yours.text, mine, "the user's own text, byte for byte");
        return true;
      },
    );
    await rejects(s.answers.saveAnswer(s.huanping, round.id, task.id, unitId, { text: mine, status: null, reason: null, version: null }), 'conflict', 'answer_stale');
    const after = (await s.answers.todo(s.huanping, round.id, unitId)).items[0]!.answer;
    assert.equal(after.text, '同事的修改');
    assert.equal(after.version, 2);
  });

  it('lets only the unit’s own reporters and head write its answers', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('环评处');
    const taskId = (await s.answers.todo(s.office, round.id, unitId)).items[0]!.task.id;
    const input = { text: '越权写入', status: null, reason: null, version: 0 } as const;
    for (const actor of [s.guicai, s.office, s.leader, s.admin, s.guicaiHead])
      await rejects(s.answers.saveAnswer(actor, round.id, taskId, unitId, input), 'forbidden', 'forbidden');
    await rejects(s.answers.todo(s.guicai, round.id, unitId), 'forbidden', 'forbidden');
    await rejects(s.answers.todo(s.admin, round.id, unitId), 'forbidden', 'forbidden');
    const head = await s.answers.saveAnswer(s.huanpingHead, round.id, taskId, unitId, input);
    assert.equal(head.version, 1);
    // A task the unit is not assigned to: the text is offered back, nothing stored.
    const other = (await s.answers.todo(s.guicai, round.id, s.unit('规财处'))).items.find(
      (item) => !item.task.text.startsWith('推动成都平原经济区'),
    )!;
    await rejects(s.answers.saveAnswer(s.huanping, round.id, other.task.id, unitId, input), 'conflict', 'task_not_assigned');
  });

  it('runs submit → return with a comment → resubmit → accept → reopen → accept → close', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('规财处');
    await rejects(s.submissions.submit(s.guicai, round.id, unitId), 'invalid', 'answers_incomplete');
    const todo = await fillAll(s, s.guicai, round.id, unitId);

    const submitted = await s.submissions.submit(s.guicai, round.id, unitId, 'key-1');
    assert.equal(submitted.state, 'submitted');
    await rejects(
      s.answers.saveAnswer(s.guicai, round.id, todo.items[0]!.task.id, unitId, { text: '提交后修改', status: null, reason: null, version: 1 }),
      'conflict',
      'answers_locked',
    );
    await rejects(s.submissions.returnAnswers(s.office, round.id, unitId, '  '), 'invalid', 'comment_required');
    const returned = await s.submissions.returnAnswers(s.office, round.id, unitId, '第1项请补充完成比例');
    assert.equal(returned.state, 'returned');
    assert.equal(returned.returnComment, '第1项请补充完成比例');
    assert.ok((await s.rounds.notifications(s.guicai)).some((n) => n.kind === 'returned' && n.message.includes('补充完成比例')));

    const fixed = await s.answers.saveAnswer(s.guicai, round.id, todo.items[0]!.task.id, unitId, { text: '已完成 80%。', status: 'on_track', reason: null, version: 1 });
    assert.equal(fixed.version, 2);
    assert.equal((await s.submissions.submit(s.guicai, round.id, unitId, 'key-2')).state, 'submitted');
    await rejects(s.submissions.accept(s.guicai, round.id, unitId), 'forbidden', 'forbidden');
    assert.equal((await s.submissions.accept(s.office, round.id, unitId)).state, 'accepted');
    await rejects(s.submissions.returnAnswers(s.office, round.id, unitId, '再改'), 'conflict', 'submission_state');
    assert.equal((await s.submissions.reopen(s.office, round.id, unitId, '补充数据来源')).state, 'returned');
    assert.equal((await s.submissions.submit(s.guicai, round.id, unitId, 'key-3')).state, 'submitted');
    assert.equal((await s.submissions.accept(s.office, round.id, unitId)).state, 'accepted');

    const closed = await s.rounds.closeRound(s.office, round.id);
    assert.equal(closed.status, 'closed');
    await rejects(
      s.answers.saveAnswer(s.huanping, round.id, (await s.answers.todo(s.huanping, round.id, s.unit('环评处'))).items[0]!.task.id, s.unit('环评处'), {
        text: '结束后填写',
        status: null,
        reason: null,
        version: 0,
      }),
      'conflict',
      'round_not_open',
    );
    await rejects(s.rounds.closeRound(s.office, round.id), 'conflict', 'round_not_open');
    assert.equal(await auditCount(database, 'submission.submit'), 3);
    assert.equal(await auditCount(database, 'submission.accept'), 2);
  });

  it('makes ten concurrent identical submits one submission', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('规财处');
    await fillAll(s, s.guicai, round.id, unitId);
    const results = await Promise.all(Array.from({ length: 10 }, () => s.submissions.submit(s.guicai, round.id, unitId, 'double-click')));
    for (const result of results) assert.deepEqual(result, results[0]);
    assert.equal(results[0]!.state, 'submitted');
    assert.equal(await auditCount(database, 'submission.submit'), 1);
    const keys = await database.db.selectFrom('idempotency_keys').select('key').execute();
    assert.equal(keys.length, 1);
  });

  it('needs the unit head’s approval when the round asks for it', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { requiresApproval: true });
    const unitId = s.unit('环评处');
    await fillAll(s, s.huanping, round.id, unitId);
    await s.submissions.submit(s.huanping, round.id, unitId);
    await rejects(s.submissions.accept(s.office, round.id, unitId), 'conflict', 'submission_state');
    await rejects(s.submissions.approve(s.guicaiHead, round.id, unitId), 'forbidden', 'forbidden');
    await rejects(s.submissions.approve(s.huanping, round.id, unitId), 'forbidden', 'forbidden');
    assert.equal((await s.submissions.approve(s.huanpingHead, round.id, unitId)).state, 'approved');
    assert.equal((await s.submissions.accept(s.office, round.id, unitId)).state, 'accepted');
  });

  it('requires a reason for 滞后 and 暂缓 before submitting', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('规财处');
    const todo = await fillAll(s, s.guicai, round.id, unitId);
    const item = todo.items[0]!;
    await s.answers.saveAnswer(s.guicai, round.id, item.task.id, unitId, { text: '资金未到位。', status: 'delayed', reason: null, version: 1 });
    await rejects(s.submissions.submit(s.guicai, round.id, unitId), 'invalid', 'reason_required');
    await s.answers.saveAnswer(s.guicai, round.id, item.task.id, unitId, { text: '资金未到位。', status: 'delayed', reason: '省财政资金 8 月下达', version: 2 });
    assert.equal((await s.submissions.submit(s.guicai, round.id, unitId)).state, 'submitted');
  });

  it('lets the server’s clock decide the deadline: drafts still save, submit waits for an extension', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { deadline: '2017-10-10' });
    const unitId = s.unit('规财处');
    const todo = await fillAll(s, s.guicai, round.id, unitId);
    s.time.set('2017-10-11T08:00:00+08:00');
    const late = await s.answers.saveAnswer(s.guicai, round.id, todo.items[0]!.task.id, unitId, { text: '逾期后的草稿', status: 'on_track', reason: null, version: 1 });
    assert.equal(late.text, '逾期后的草稿');
    await rejects(s.submissions.submit(s.guicai, round.id, unitId), 'conflict', 'deadline_passed');
    assert.equal((await s.rounds.board(s.office, round.id)).rows.find((r) => r.unitId === unitId)!.light, 'red');
    await s.rounds.setDeadline(s.office, round.id, '2017-10-15');
    assert.equal((await s.submissions.submit(s.guicai, round.id, unitId)).state, 'submitted');
  });

  it('lights the board and records reminders the units see', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { deadline: '2017-10-10' });
    const unitId = s.unit('规财处');
    assert.equal((await s.rounds.board(s.office, round.id)).rows.find((r) => r.unitId === unitId)!.light, 'grey');
    s.time.set('2017-10-08T09:00:00+08:00');
    let row = (await s.rounds.board(s.leader, round.id)).rows.find((r) => r.unitId === unitId)!;
    assert.equal(row.light, 'yellow');
    await rejects(s.rounds.board(s.guicai, round.id), 'forbidden', 'forbidden');
    await rejects(s.rounds.remind(s.leader, round.id, unitId, null), 'forbidden', 'forbidden');
    const sent = await s.rounds.remind(s.office, round.id, unitId, null);
    row = (await s.rounds.board(s.office, round.id)).rows.find((r) => r.unitId === unitId)!;
    assert.equal(row.lastReminderAt, sent.sentAt);
    const notes = await s.rounds.notifications(s.guicai);
    assert.ok(notes.some((n) => n.kind === 'reminder' && n.message.includes('2017年第三季度')));
    assert.equal((await s.rounds.notifications(s.huanping)).filter((n) => n.kind === 'reminder').length, 0, 'other units do not see it');
    await fillAll(s, s.guicai, round.id, unitId);
    await s.submissions.submit(s.guicai, round.id, unitId);
    row = (await s.rounds.board(s.office, round.id)).rows.find((r) => r.unitId === unitId)!;
    assert.equal(row.light, 'green');
    assert.equal(row.answered, row.tasks);
  });
});

forEachEngine('traffic lights', (it) => {
  it('follow the deadline in China time', async () => {
    const at = (iso: string) => new Date(iso);
    assert.equal(trafficLight('draft', '2017-10-10', at('2017-10-10T23:00:00+08:00'), 3), 'yellow');
    assert.equal(trafficLight('draft', '2017-10-10', at('2017-10-11T00:00:01+08:00'), 3), 'red');
    assert.equal(trafficLight('not_started', '2017-10-10', at('2017-10-01T00:00:00+08:00'), 3), 'grey');
    assert.equal(trafficLight('submitted', '2017-10-10', at('2017-12-01T00:00:00+08:00'), 3), 'green');
    assert.equal(trafficLight('returned', null, at('2017-12-01T00:00:00+08:00'), 3), 'grey');
  });
});
