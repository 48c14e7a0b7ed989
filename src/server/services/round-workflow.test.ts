import assert from 'node:assert/strict';
import type { Actor } from '../../domain/actor.ts';
import { isCollectiveUnitName } from '../../domain/collective-units.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { readSeedDocument, seededRoundWork } from '../../../tests/support/seeded-plan.ts';
import { tasksOf } from '../../domain/plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createReturnedTableService } from './returned-table.service.ts';
import { createRoundService, trafficLight } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

async function setUp(database: TestDatabase) {
  const { time, planId, unit, person, deps } = await seededRoundWork(database);
  return {
    time,
    planId,
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

/** A 处室负责人 account for the unit in the users table (the approval chain asks whether one exists). */
async function addHeadAccount(database: TestDatabase, unitId: number, options: { disabled?: boolean; username?: string } = {}) {
  const at = '2017-09-01T00:00:00.000Z';
  await database.db
    .insertInto('users')
    .values({
      username: options.username ?? `head-${unitId}`,
      display_name: '王处长',
      password_hash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
      role: 'unit_head',
      unit_id: unitId,
      phone: null,
      must_change_password: 0,
      disabled: options.disabled ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

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
    const assigned = new Set(
      readSeedDocument().chapters.flatMap((c) =>
        c.sections.flatMap((sec) => sec.tasks.flatMap((t) => t.units.map((u) => u.name).filter((name) => !isCollectiveUnitName(name)))),
      ),
    );
    assert.deepEqual(board.rows.map((row) => row.unitName).sort(), [...assigned].sort(), 'every responsible unit is on the board');
    assert.ok(board.rows.every((row) => row.state === 'not_started'));

    const todo = await s.answers.todo(s.huanping, round.id, s.unit('环评处'));
    const chengdu = todo.items.find((item) => item.task.text.startsWith('推动成都平原经济区'))!;
    assert.equal(chengdu.task.role, 'lead');
    assert.deepEqual(chengdu.task.leaders, ['高洁', '钟勤建']);
    assert.match(chengdu.previousText!, /^积极指导和争取环保部支持推进天府新区规划环评工作/, "last round's own text beside the box");
    assert.deepEqual(
      chengdu.coUnitAnswers.map((a) => a.unitName),
      ['规财处'],
    );
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
    await s.answers.saveAnswer(s.huanping, round.id, lead.task.id, s.unit('环评处'), {
      text: '环评处：已完成规划环评审查。',
      status: 'on_track',
      reason: null,
      version: 0,
    });
    const saved = await s.answers.saveAnswer(s.guicai, round.id, co.task.id, s.unit('规财处'), {
      text: '规财处：资金已下达。',
      status: 'on_track',
      reason: null,
      version: 0,
    });
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
    await rejects(
      s.answers.saveAnswer(s.huanping, round.id, task.id, unitId, { text: mine, status: null, reason: null, version: null }),
      'conflict',
      'answer_stale',
    );
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
    const other = (await s.answers.todo(s.guicai, round.id, s.unit('规财处'))).items.find((item) => !item.task.text.startsWith('推动成都平原经济区'))!;
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

    const fixed = await s.answers.saveAnswer(s.guicai, round.id, todo.items[0]!.task.id, unitId, {
      text: '已完成 80%。',
      status: 'on_track',
      reason: null,
      version: 1,
    });
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
    await addHeadAccount(database, unitId);
    await fillAll(s, s.huanping, round.id, unitId);
    const submitted = await s.submissions.submit(s.huanping, round.id, unitId);
    assert.equal(submitted.state, 'submitted');
    assert.equal(submitted.holder, 'head');
    assert.equal(submitted.note, null);
    assert.ok((await s.rounds.notifications(s.huanpingHead)).some((n) => n.kind === 'awaiting_approval' && n.message.includes('等待处室负责人审核')));
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
    await s.answers.saveAnswer(s.guicai, round.id, item.task.id, unitId, {
      text: '资金未到位。',
      status: 'delayed',
      reason: '省财政资金 8 月下达',
      version: 2,
    });
    assert.equal((await s.submissions.submit(s.guicai, round.id, unitId)).state, 'submitted');
  });

  it('lets the server’s clock decide the deadline: a submit after it is taken while the round is open, and marked late', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { deadline: '2017-10-10' });
    const unitId = s.unit('规财处');
    const todo = await fillAll(s, s.guicai, round.id, unitId);
    s.time.set('2017-10-11T08:00:00+08:00');
    const draft = await s.answers.saveAnswer(s.guicai, round.id, todo.items[0]!.task.id, unitId, {
      text: '逾期后的草稿',
      status: 'on_track',
      reason: null,
      version: 1,
    });
    assert.equal(draft.text, '逾期后的草稿');
    assert.equal((await s.rounds.board(s.office, round.id)).rows.find((r) => r.unitId === unitId)!.light, 'red');
    const late = await s.submissions.submit(s.guicai, round.id, unitId);
    assert.equal(late.state, 'submitted');
    assert.equal(late.late, true);
    assert.equal(late.submittedAt, '2017-10-11T00:00:00.000Z');
    const row = await database.db
      .selectFrom('unit_submissions')
      .select(['submitted_late', 'submitted_at'])
      .where('round_id', '=', round.id)
      .where('unit_id', '=', unitId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.submitted_late), 1);
    const audited = await database.db.selectFrom('audit_events').select('detail').where('action', '=', 'submission.submit').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audited.detail).late, true);

    // On time (before the deadline) is not late; the unit's own deadline comes before the round's.
    const other = s.unit('环评处');
    await fillAll(s, s.huanping, round.id, other);
    await database.db.updateTable('unit_submissions').set({ deadline: '2017-10-20' }).where('round_id', '=', round.id).where('unit_id', '=', other).execute();
    const extended = await s.submissions.submit(s.huanping, round.id, other);
    assert.equal(extended.late, false, 'an extended unit submitting before its own deadline is on time');

    // Closed: no submit at all.
    await s.submissions.returnAnswers(s.office, round.id, unitId, '请补充');
    await s.rounds.closeRound(s.office, round.id);
    await rejects(s.submissions.submit(s.guicai, round.id, unitId), 'conflict', 'round_not_open');
  });

  it('returns one answer with its comment and accepts the rest; the unit edits only that one and resubmits it alone', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('环评处');
    const todo = await fillAll(s, s.huanping, round.id, unitId);
    assert.ok(todo.items.length >= 3, 'the test needs at least three answers');
    const [first, second, ...rest] = todo.items.map((item) => item.task.id) as [number, number, ...number[]];
    await s.submissions.submit(s.huanping, round.id, unitId);

    await rejects(
      s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'return', taskIds: [second], comment: '  ' }),
      'invalid',
      'comment_required',
    );
    const afterReturn = await s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'return', taskIds: [second], comment: '请补充完成比例' });
    assert.equal(afterReturn.state, 'submitted', 'the unit stays with the office while answers wait for review');
    const afterAccept = await s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: [first, ...rest], comment: null });
    assert.equal(afterAccept.state, 'returned', 'any answer returned → the unit is returned');
    assert.equal(afterAccept.holder, 'reporter');
    await rejects(
      s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: [second], comment: null }),
      'conflict',
      'submission_state',
    );

    const seen = await s.answers.todo(s.huanping, round.id, unitId);
    const reviewOf = (taskId: number) => seen.items.find((item) => item.task.id === taskId)!.review;
    assert.deepEqual(
      [reviewOf(second).state, reviewOf(second).comment, reviewOf(second).reviewedBy],
      ['returned', '请补充完成比例', s.office.kind === 'user' ? s.office.name : ''],
    );
    assert.equal(reviewOf(first).state, 'accepted');
    const notes = await s.rounds.notifications(s.huanping);
    const returnedNotes = notes.filter((n) => n.kind === 'answer_returned');
    assert.equal(returnedNotes.length, 1, 'one notification per returned answer');
    assert.match(returnedNotes[0]!.message, /办公室退回了“2017年第三季度”任务“.+”：请补充完成比例/);

    await rejects(
      s.answers.saveAnswer(s.huanping, round.id, first, unitId, { text: '改采纳过的', status: 'on_track', reason: null, version: 1 }),
      'conflict',
      'answer_locked',
    );
    const fixed = await s.answers.saveAnswer(s.huanping, round.id, second, unitId, { text: '已完成 80%。', status: 'on_track', reason: null, version: 1 });
    assert.equal(fixed.version, 2);
    const resubmitted = await s.submissions.submit(s.huanping, round.id, unitId);
    assert.equal(resubmitted.state, 'submitted');
    const reviews = await database.db
      .selectFrom('progress_entries')
      .select(['task_id', 'review_state', 'review_comment'])
      .where('round_id', '=', round.id)
      .where('unit_id', '=', unitId)
      .execute();
    for (const row of reviews)
      assert.equal(
        row.review_state,
        row.task_id === second ? null : 'accepted',
        `after the resubmit only the returned answer is open again (task ${row.task_id})`,
      );
    assert.equal(reviews.find((r) => r.task_id === second)!.review_comment, '请补充完成比例', 'the last comment stays for the reviewer');

    await rejects(
      s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: [first], comment: null }),
      'conflict',
      'answer_not_open',
    );
    const accepted = await s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: [second], comment: null });
    assert.equal(accepted.state, 'accepted');
    assert.equal(accepted.holder, 'done');
    assert.ok((await s.rounds.notifications(s.huanping)).some((n) => n.kind === 'accepted' && n.message.includes('已采纳')));
    assert.equal(await auditCount(database, 'answer.return'), 1);
    assert.equal(await auditCount(database, 'answer.accept'), 2);
  });

  it('refuses a returned table that would change an accepted answer of a returned unit, and takes one that changes only the returned answer', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s);
    const unitId = s.unit('环评处');
    const todo = await fillAll(s, s.huanping, round.id, unitId);
    const [first, second] = todo.items as [(typeof todo.items)[number], (typeof todo.items)[number]];
    await s.submissions.submit(s.huanping, round.id, unitId);
    await s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'return', taskIds: [second.task.id], comment: '请补充' });
    await s.submissions.accept(s.office, round.id, unitId);

    const tables = createReturnedTableService({ database, now: s.time.now });
    const table = (changes: Map<number, string>) => {
      const document = structuredClone(readSeedDocument());
      document.round = { label: '2017年第三季度', periodStart: null, periodEnd: null };
      for (const { task } of tasksOf(document)) {
        const item = todo.items.find((i) => i.task.text === task.text);
        task.progress = item ? [{ unit: '环评处', text: changes.get(item.task.id) ?? `第${todo.items.indexOf(item) + 1}项已按期推进。` }] : [];
      }
      return { fileName: '回传.json', bytes: new TextEncoder().encode(JSON.stringify(document)) };
    };
    const versions = { [first.task.id]: 1, [second.task.id]: 1 };
    await rejects(
      tables.apply(s.huanping, round.id, unitId, table(new Map([[first.task.id, '改采纳过的']])), { expectedVersions: versions }),
      'conflict',
      'answer_locked',
    );
    const applied = await tables.apply(s.huanping, round.id, unitId, table(new Map([[second.task.id, '按意见补充。']])), { expectedVersions: versions });
    assert.equal(applied.written, 1);
  });

  it('lets the head return one answer before the office sees it; the whole-unit accept and return stay', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { requiresApproval: true });
    const unitId = s.unit('环评处');
    await addHeadAccount(database, unitId);
    const todo = await fillAll(s, s.huanping, round.id, unitId);
    const [first, ...others] = todo.items.map((item) => item.task.id) as [number, ...number[]];
    await s.submissions.submit(s.huanping, round.id, unitId);
    await rejects(
      s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: [first], comment: null }),
      'conflict',
      'awaiting_head',
    );
    await s.submissions.reviewAnswers(s.huanpingHead, round.id, unitId, { decision: 'return', taskIds: [first], comment: '数据口径不对' });
    const returned = await s.submissions.approve(s.huanpingHead, round.id, unitId);
    assert.equal(returned.state, 'returned', 'the head approved the rest; the one it returned goes back');
    assert.ok((await s.rounds.notifications(s.huanping)).some((n) => n.kind === 'answer_returned' && n.message.startsWith('处室负责人退回了')));
    await s.answers.saveAnswer(s.huanping, round.id, first, unitId, { text: '按新口径统计。', status: 'on_track', reason: null, version: 1 });
    assert.equal((await s.submissions.submit(s.huanping, round.id, unitId)).state, 'submitted');
    await rejects(
      s.submissions.reviewAnswers(s.huanpingHead, round.id, unitId, { decision: 'accept', taskIds: [others[0]!], comment: null }),
      'conflict',
      'answer_not_open',
    );
    const approved = await s.submissions.reviewAnswers(s.huanpingHead, round.id, unitId, { decision: 'accept', taskIds: [first], comment: null });
    assert.equal(approved.state, 'approved');
    assert.equal(approved.holder, 'office');
    // The whole-unit return still returns every answer not yet accepted.
    const back = await s.submissions.returnAnswers(s.office, round.id, unitId, '整体重写');
    assert.equal(back.state, 'returned');
    const states = await database.db
      .selectFrom('progress_entries')
      .select(['review_state', 'review_comment'])
      .where('round_id', '=', round.id)
      .where('unit_id', '=', unitId)
      .execute();
    assert.ok(states.every((r) => r.review_state === 'returned'));
    assert.ok(
      states.every((r) => r.review_comment === null),
      'the unit’s comment is shown once, above the answers',
    );
    assert.equal(back.returnComment, '整体重写');
    await s.submissions.submit(s.huanping, round.id, unitId);
    await s.submissions.approve(s.huanpingHead, round.id, unitId);
    assert.equal((await s.submissions.accept(s.office, round.id, unitId)).state, 'accepted');
  });

  it('sends a unit without a head account straight to the office in an approval round, telling the office why', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { requiresApproval: true });
    const unitId = s.unit('规财处');
    await addHeadAccount(database, s.unit('环评处'));
    await addHeadAccount(database, unitId, { disabled: true, username: 'disabled-head' });
    const without = await s.submissions.unitsWithoutHead(s.office, round.id);
    assert.ok(
      without.some((u) => u.unitName === '规财处'),
      'a disabled head account is no head',
    );
    assert.ok(!without.some((u) => u.unitName === '环评处'));
    assert.deepEqual(
      (await s.rounds.unitsWithoutHead(s.office, s.planId, undefined)).map((u) => u.name).sort(),
      without.map((u) => u.unitName).sort(),
      'the plan and its round cover the same units',
    );
    await rejects(s.submissions.unitsWithoutHead(s.leader, round.id), 'forbidden', 'forbidden');

    await fillAll(s, s.guicai, round.id, unitId);
    const submitted = await s.submissions.submit(s.guicai, round.id, unitId);
    assert.equal(submitted.state, 'approved');
    assert.equal(submitted.holder, 'office');
    assert.equal(submitted.note, '本单位无处室负责人账号，已直接报送办公室');
    const forwarded = await database.db.selectFrom('notifications').selectAll().where('kind', '=', 'forwarded_to_office').execute();
    assert.equal(forwarded.length, 1);
    assert.equal(forwarded[0]!.unit_id, null);
    assert.match(forwarded[0]!.message, /规财处无处室负责人账号/);
    const board = await s.rounds.board(s.office, round.id);
    assert.equal(board.rows.find((r) => r.unitId === unitId)!.holder, 'office');
    assert.equal(board.rows.find((r) => r.unitId === s.unit('环评处'))!.holder, 'reporter');
    assert.equal((await s.submissions.accept(s.office, round.id, unitId)).state, 'accepted');
  });

  it('lets the office approve in the head’s place, audited as its own action', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { requiresApproval: true });
    const unitId = s.unit('环评处');
    await addHeadAccount(database, unitId);
    await fillAll(s, s.huanping, round.id, unitId);
    await rejects(s.submissions.approveForHead(s.office, round.id, unitId), 'conflict', 'submission_state');
    await s.submissions.submit(s.huanping, round.id, unitId);
    for (const actor of [s.huanping, s.huanpingHead, s.leader]) await rejects(s.submissions.approveForHead(actor, round.id, unitId), 'forbidden', 'forbidden');
    const approved = await s.submissions.approveForHead(s.office, round.id, unitId);
    assert.equal(approved.state, 'approved');
    assert.match(approved.note!, /代处室负责人审核通过/);
    assert.equal(await auditCount(database, 'submission.approve_for_head'), 1);
    assert.equal(await auditCount(database, 'submission.approve'), 0);
    const accepted = await s.submissions.reviewAnswers(s.office, round.id, unitId, {
      decision: 'accept',
      taskIds: (await s.answers.todo(s.office, round.id, unitId)).items.map((i) => i.task.id),
      comment: null,
    });
    assert.equal(accepted.state, 'accepted');
  });

  it('lets only the office, or the unit’s own head, review single answers', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { requiresApproval: true });
    const unitId = s.unit('环评处');
    await addHeadAccount(database, unitId);
    const todo = await fillAll(s, s.huanping, round.id, unitId);
    await s.submissions.submit(s.huanping, round.id, unitId);
    const input = { decision: 'accept', taskIds: [todo.items[0]!.task.id], comment: null } as const;
    for (const actor of [s.huanping, s.guicai, s.guicaiHead, s.leader, s.admin])
      await rejects(s.submissions.reviewAnswers(actor, round.id, unitId, input), 'forbidden', 'forbidden');
    await rejects(s.submissions.reviewAnswers(s.huanpingHead, round.id, unitId, { ...input, taskIds: [] }), 'invalid', 'tasks_required');
    assert.equal((await s.submissions.reviewAnswers(s.huanpingHead, round.id, unitId, input)).state, 'submitted');
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

  it('puts 催办 in the outbox, in its transaction, for each address the unit has, and only then', async (database) => {
    const s = await setUp(database);
    const round = await openQ3(s, { deadline: '2017-10-10' });
    const withAddresses = s.unit('规财处');
    const without = s.unit('环评处');
    const rounds = createRoundService({
      database,
      now: () => new Date('2017-10-08T01:00:00.000Z'),
      publicUrl: 'https://diaodu.example.cn',
      addressesOfUnit: async (_r, unitId) =>
        unitId === withAddresses
          ? [
              { channel: 'email', address: JSON.stringify({ channel: 'email', to: 'guicai@example.cn' }) },
              { channel: 'wecom', address: JSON.stringify({ channel: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }) },
            ]
          : [],
    });
    const sent = await rounds.remind(s.office, round.id, withAddresses, null);
    await rounds.remind(s.office, round.id, without, null);
    const outbox = await database.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    assert.deepEqual(
      outbox.map((m) => [m.event, m.unit_id, m.channel, m.state, m.dedupe_key, m.subject, m.link]),
      (['email', 'wecom'] as const).map((channel) => [
        'urge',
        withAddresses,
        channel,
        'queued',
        `urge:${sent.reminderId}:unit:${withAddresses}:${channel}`,
        '【催办】2017年第三季度',
        `https://diaodu.example.cn/todo/${round.id}`,
      ]),
    );
    assert.equal(outbox[0]!.body, '规财处：请于 2017年10月10日 23:59 前完成“2017年第三季度”推进情况填报并提交。');
    // A 催办 refused (the round closed) leaves nothing in the outbox.
    await database.db.updateTable('rounds').set({ status: 'closed' }).where('id', '=', round.id).execute();
    await rejects(rounds.remind(s.office, round.id, withAddresses, null), 'conflict', 'round_not_open');
    assert.equal((await database.db.selectFrom('outbox').select('id').execute()).length, 2);
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
