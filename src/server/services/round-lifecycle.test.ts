import assert from 'node:assert/strict';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { seededRoundWork } from '../../../tests/support/seeded-plan.ts';
import { createAnswerService } from './answer.service.ts';
import { createCompileRoundService } from './compile-round.service.ts';
import { createRoundService } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

async function setUp(database: TestDatabase) {
  const { time, planId, importedRoundId, unit, person, deps } = await seededRoundWork(database);
  const rounds = createRoundService({ ...deps, warnDays: 3 });
  const firstTask = (await database.db.selectFrom('tasks').select('id').where('plan_id', '=', planId).orderBy('position').executeTakeFirstOrThrow()).id;
  return {
    time,
    planId,
    importedRoundId,
    firstTask,
    unit,
    office: person('office'),
    leader: person('leader'),
    huanping: person('reporter', '环评处'),
    guicai: person('reporter', '规财处'),
    rounds,
    answers: createAnswerService(deps),
    submissions: createSubmissionService(deps),
    open: (options: { taskIds?: number[]; deadline?: string; label?: string } = {}) =>
      rounds.openRound(person('office'), planId, {
        label: options.label ?? '2017年第三季度',
        periodStart: '2017-07-01',
        periodEnd: '2017-09-30',
        deadline: options.deadline ?? '2017-10-10',
        note: null,
        requiresApproval: true,
        ...(options.taskIds ? { taskIds: options.taskIds } : {}),
      }),
  };
}

const rejects = async (promise: Promise<unknown>, kind: string, code: string) =>
  assert.rejects(promise, (error: unknown) => isDomainError(error) && error.kind === kind && error.code === code);

const auditOf = (database: TestDatabase, action: string) =>
  database.db.selectFrom('audit_events').select(['object_id', 'detail']).where('action', '=', action).execute();

forEachEngine('round lifecycle: void, extension, collective units', (it) => {
  it('voids a round nobody has saved in: gone from the list, units told, audited; refused once a unit saved text', async (database) => {
    const s = await setUp(database);
    const mistaken = await s.open({ label: '误发的轮次' });
    await rejects(s.rounds.voidRound(s.office, mistaken.id, '  '), 'invalid', 'void_reason_required');
    await rejects(s.rounds.voidRound(s.huanping, mistaken.id, '误发'), 'forbidden', 'forbidden');
    const voided = await s.rounds.voidRound(s.office, mistaken.id, '误发，重新发起');
    assert.equal(voided.status, 'void');
    assert.equal(voided.voidReason, '误发，重新发起');
    assert.equal(voided.voidedBy, s.office.kind === 'user' ? s.office.name : null, 'who voided it, by name');
    assert.ok(voided.voidedAt);
    assert.ok(!(await s.rounds.listRounds(s.office, s.planId)).some((r) => r.id === mistaken.id), 'hidden from the default list');
    assert.ok((await s.rounds.listRounds(s.office, s.planId, { includeVoid: true })).some((r) => r.id === mistaken.id));
    const told = await database.db
      .selectFrom('notifications')
      .select(['unit_id', 'message'])
      .where('kind', '=', 'round_voided')
      .where('round_id', '=', mistaken.id)
      .execute();
    assert.ok(told.some((n) => n.unit_id === s.unit('环评处') && n.message.includes('误发的轮次') && n.message.includes('误发，重新发起')));
    assert.equal((await auditOf(database, 'round.void')).length, 1);
    // A voided round takes no answers and cannot be voided twice.
    const todo = await s.answers.todo(s.huanping, mistaken.id, s.unit('环评处'));
    await rejects(
      s.answers.saveAnswer(s.huanping, mistaken.id, todo.items[0]!.task.id, s.unit('环评处'), { text: '有进展', status: null, reason: null, version: 0 }),
      'conflict',
      'round_not_open',
    );
    await rejects(s.rounds.voidRound(s.office, mistaken.id, '再次'), 'conflict', 'round_not_open');

    const real = await s.open();
    const item = (await s.answers.todo(s.huanping, real.id, s.unit('环评处'))).items[0]!;
    // The voided round held nothing: the round after it compares with the one before it.
    assert.ok(item.previousText?.trim(), 'last round is the imported one, not the voided one');
    const imported = await database.db
      .selectFrom('progress_entries')
      .select('text')
      .where('round_id', '=', s.importedRoundId)
      .where('task_id', '=', item.task.id)
      .where('unit_id', '=', s.unit('环评处'))
      .executeTakeFirstOrThrow();
    assert.equal(item.previousText, imported.text);
    await s.answers.saveAnswer(s.huanping, real.id, item.task.id, s.unit('环评处'), { text: '已完成环评审批。', status: null, reason: null, version: 0 });
    await assert.rejects(
      s.rounds.voidRound(s.office, real.id, '误发'),
      (error: unknown) => isDomainError(error) && error.code === 'round_has_work' && /已有单位保存了填报内容/.test(error.message),
    );
    assert.equal((await s.rounds.getRound(s.office, real.id)).status, 'open');
  });

  it("extends one unit's deadline: its light follows its own deadline, the unit is told, audited; a past one is refused", async (database) => {
    const s = await setUp(database);
    const round = await s.open({ deadline: '2017-10-10' });
    s.time.set('2017-10-11T09:00:00+08:00');
    const light = async (name: string) => (await s.rounds.board(s.office, round.id)).rows.find((row) => row.unitName === name)!;
    assert.equal((await light('环评处')).light, 'red');

    await rejects(s.rounds.extendUnitDeadline(s.office, round.id, s.unit('环评处'), '2017-10-10'), 'invalid', 'deadline_in_past');
    await rejects(s.rounds.extendUnitDeadline(s.huanping, round.id, s.unit('环评处'), '2017-10-20'), 'forbidden', 'forbidden');
    await rejects(s.rounds.extendUnitDeadline(s.leader, round.id, s.unit('环评处'), '2017-10-20'), 'forbidden', 'forbidden');
    const extended = await s.rounds.extendUnitDeadline(s.office, round.id, s.unit('环评处'), '2017-10-20');
    assert.equal(extended.extendedDeadline, '2017-10-20T23:59:59+08:00');
    const row = await light('环评处');
    assert.equal(row.light, 'grey', 'chased against its own deadline, nine days away');
    assert.equal(row.extendedDeadline, '2017-10-20T23:59:59+08:00');
    assert.equal((await light('规财处')).light, 'red', "other units keep the round's deadline");
    const told = await database.db
      .selectFrom('notifications')
      .select('message')
      .where('kind', '=', 'deadline_extended')
      .where('unit_id', '=', s.unit('环评处'))
      .execute();
    assert.deepEqual(
      told.map((n) => n.message),
      ['调度“2017年第三季度”中本单位的截止时间已延长至 2017年10月20日 23:59。'],
    );
    assert.equal((await auditOf(database, 'round.extend')).length, 1);

    await s.rounds.extendUnitDeadline(s.office, round.id, s.unit('环评处'), null);
    assert.equal((await light('环评处')).light, 'red', "back to the round's deadline");
  });

  it('never stores an impossible day as a deadline or period, whoever calls', async (database) => {
    const s = await setUp(database);
    for (const deadline of ['2017-02-30', '2017-13-45', '0000-00-00'])
      await assert.rejects(
        s.open({ deadline }),
        (error: unknown) => isDomainError(error) && error.code === 'date_invalid' && error.details?.field === 'deadline',
      );
    const round = await s.open();
    await rejects(s.rounds.setDeadline(s.office, round.id, '2017-02-30'), 'invalid', 'date_invalid');
    await rejects(s.rounds.extendUnitDeadline(s.office, round.id, s.unit('环评处'), '2099-02-29'), 'invalid', 'date_invalid');
    assert.equal((await s.rounds.getRound(s.office, round.id)).deadline, '2017-10-10T23:59:59+08:00');
  });

  it('lists the units without a head for the chosen tasks (collective units replaced by their members)', async (database) => {
    const s = await setUp(database);
    const huanpingTask = (await s.answers.todo(s.huanping, (await s.open()).id, s.unit('环评处'))).items[0]!.task.id;
    const before = await s.rounds.unitsWithoutHead(s.office, s.planId, [huanpingTask]);
    assert.ok(before.some((u) => u.name === '环评处'));
    const now = new Date().toISOString();
    await database.db
      .insertInto('users')
      .values({
        username: 'hp-head',
        display_name: '张敏',
        password_hash: 'x',
        role: 'unit_head',
        unit_id: s.unit('环评处'),
        phone: null,
        must_change_password: 0,
        disabled: 0,
        failed_logins: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enabled_at: null,
        totp_last_step: null,
        password_changed_at: now,
      })
      .execute();
    assert.ok(!(await s.rounds.unitsWithoutHead(s.office, s.planId, [huanpingTask])).some((u) => u.name === '环评处'), 'a head account removes it');
    const firstTask = await s.rounds.unitsWithoutHead(s.office, s.planId, [s.firstTask]);
    assert.deepEqual(firstTask, [], 'task 1 names only collective units, mapped to nobody yet');
    await s.rounds.setCollectiveMembers(s.office, s.unit('各处(室)'), [s.unit('规财处')]);
    assert.deepEqual(
      (await s.rounds.unitsWithoutHead(s.office, s.planId, [s.firstTask])).map((u) => u.name),
      ['规财处'],
    );
    await rejects(s.rounds.unitsWithoutHead(s.office, s.planId, [999_999]), 'invalid', 'round_tasks_invalid');
    await rejects(s.rounds.unitsWithoutHead(s.huanping, s.planId, undefined), 'forbidden', 'forbidden');
  });

  it("collective units (the seed's 各处(室)、直属单位) get no submission; their tasks go to the mapped units as co-units, or stay with the office", async (database) => {
    const s = await setUp(database);
    const collectiveNames = (await database.db.selectFrom('units').select('name').where('collective', '=', 1).orderBy('name').execute()).map((u) => u.name);
    assert.deepEqual(collectiveNames.sort(), ['各处(室)', '直属单位'].sort(), "the import marks the seed's collective names");

    // Unmapped: nobody is chased for them; the office answers them.
    const first = await s.open({ label: '第一轮' });
    const board = await s.rounds.board(s.office, first.id);
    assert.ok(!board.rows.some((row) => row.unitName === '各处(室)' || row.unitName === '直属单位'), 'not chased as units');
    assert.deepEqual(
      board.collectives.map((c) => [c.unitName, c.answeredBy]),
      [
        ['各处(室)', 'office'],
        ['直属单位', 'office'],
      ],
    );

    // Mapped: 各处(室) → 环评处, 规财处; 直属单位 → 规财处 (counted once).
    await rejects(s.rounds.setCollectiveMembers(s.office, s.unit('环评处'), [s.unit('规财处')]), 'conflict', 'unit_not_collective');
    await rejects(s.rounds.setCollectiveMembers(s.office, s.unit('各处(室)'), [s.unit('直属单位')]), 'invalid', 'member_collective');
    await rejects(s.rounds.setCollectiveMembers(s.huanping, s.unit('各处(室)'), [s.unit('环评处')]), 'forbidden', 'forbidden');
    await s.rounds.setCollectiveMembers(s.office, s.unit('各处(室)'), [s.unit('环评处'), s.unit('规财处')]);
    await s.rounds.setCollectiveMembers(s.office, s.unit('直属单位'), [s.unit('规财处')]);
    assert.equal((await auditOf(database, 'unit.collective')).length, 2);
    const listed = await s.rounds.collectiveUnits(s.office, s.planId, [s.firstTask]);
    await rejects(s.rounds.collectiveUnits(s.office, s.planId, [999_999]), 'invalid', 'round_tasks_invalid');
    assert.deepEqual(
      listed.find((c) => c.unitName === '各处(室)')!.members.map((m) => m.name),
      ['环评处', '规财处'],
    );

    const second = await s.open({ label: '第二轮', taskIds: [s.firstTask] });
    const secondBoard = await s.rounds.board(s.office, second.id);
    assert.deepEqual(secondBoard.rows.map((row) => row.unitName).sort(), ['环评处', '规财处'].sort(), 'only the member units answer task 1');
    assert.ok(secondBoard.rows.every((row) => row.tasks === 1));
    assert.deepEqual(
      secondBoard.collectives
        .find((c) => c.unitName === '各处(室)')!
        .members.map((m) => m.name)
        .sort(),
      ['环评处', '规财处'].sort(),
    );

    const todo = await s.answers.todo(s.huanping, second.id, s.unit('环评处'));
    assert.deepEqual(
      todo.items.map((item) => [item.task.id, item.task.role]),
      [[s.firstTask, 'co']],
    );
    await s.answers.saveAnswer(s.huanping, second.id, s.firstTask, s.unit('环评处'), {
      text: '环评处：已按期推进。',
      status: 'on_track',
      reason: null,
      version: 0,
    });
    const guicaiTodo = await s.answers.todo(s.guicai, second.id, s.unit('规财处'));
    await s.answers.saveAnswer(s.guicai, second.id, s.firstTask, s.unit('规财处'), {
      text: '规财处：已按期推进。',
      status: 'on_track',
      reason: null,
      version: guicaiTodo.items[0]!.answer.version,
    });
    await s.submissions.submit(s.huanping, second.id, s.unit('环评处'));
    const entries = await database.db
      .selectFrom('progress_entries')
      .select(['unit_id', 'position'])
      .where('round_id', '=', second.id)
      .where('task_id', '=', s.firstTask)
      .orderBy('position')
      .execute();
    assert.equal(entries.length, 2);
    assert.ok(
      entries.every((e) => e.position > 2),
      'after the two units the plan names',
    );
    assert.equal((await s.rounds.board(s.office, second.id)).rows.find((row) => row.unitName === '环评处')!.answered, 1);
    // The compiled table keeps the plan's 各处(室)、直属单位 and attributes the member's answer to it.
    // Submitted, not yet accepted: in the draft for review only, marked so (decision 024).
    const compiled = await createCompileRoundService({ database }).compileRound(s.office, second.id, { version: 'draft' });
    const row = compiled.table.rows.find((r) => r.units.startsWith('各处(室)'))!;
    assert.equal(row.units, '各处(室)、直属单位');
    assert.equal(row.progress, '【未审核】环评处：已按期推进。（环评处）', 'submitted answers only, with the unit that wrote them');

    // The first round opened before the mapping keeps what it opened with.
    assert.ok(
      !(await s.rounds.board(s.office, first.id)).rows.some(
        (row) => row.unitName === '环评处' && row.tasks > board.rows.find((r) => r.unitName === '环评处')!.tasks,
      ),
    );
  });

  it('the office answers an unmapped collective unit itself: same save rules, audited, compiled at once; units and leaders may not, a mapped one is refused by name', async (database) => {
    const s = await setUp(database);
    const compile = createCompileRoundService({ database, now: s.time.now });
    const imported = (await database.db.selectFrom('rounds').select('id').where('status', '=', 'imported').executeTakeFirstOrThrow()).id;
    const firstRow = async (roundId: number) => (await compile.compileRound(s.office, roundId)).table.rows[0]!;
    assert.equal((await firstRow(imported)).progress, '正在按期推进落实。', 'the seed keeps its unattributed text');

    const round = await s.open();
    const each = s.unit('各处(室)');
    const view = await s.answers.collectiveAnswers(s.office, round.id, each);
    assert.deepEqual(
      view.items.map((item) => [item.task.id, item.task.role, item.previousText, item.answer.version]),
      [[s.firstTask, 'lead', '正在按期推进落实。', 0]],
      'task 一.(一).1, with last round’s unattributed text beside the lead collective unit',
    );
    await rejects(s.answers.collectiveAnswers(s.huanping, round.id, each), 'forbidden', 'forbidden');
    await rejects(s.answers.collectiveAnswers(s.leader, round.id, each), 'forbidden', 'forbidden');
    await rejects(s.answers.collectiveAnswers(s.office, round.id, s.unit('环评处')), 'forbidden', 'forbidden');
    assert.equal((await firstRow(round.id)).progress, '', 'nobody answered yet: blank (（未报送） only when the office asks for it)');

    const input = { text: '正在按期推进落实。', status: 'on_track' as const, reason: null, version: 0, copiedFromPrevious: true };
    await rejects(s.answers.saveAnswer(s.huanping, round.id, s.firstTask, each, input), 'forbidden', 'forbidden');
    await rejects(s.answers.saveAnswer(s.leader, round.id, s.firstTask, each, input), 'forbidden', 'forbidden');
    await rejects(s.answers.saveAnswer(s.office, round.id, s.firstTask, s.unit('环评处'), input), 'forbidden', 'forbidden');
    // Two saves from the same version at once: one is stored, the other is stale (nothing overwritten).
    const results = await Promise.allSettled([
      s.answers.saveAnswer(s.office, round.id, s.firstTask, each, input),
      s.answers.saveAnswer(s.office, round.id, s.firstTask, each, { ...input, text: '另一版' }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(isDomainError(lost.reason) && lost.reason.code === 'answer_stale');
    const saved = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof s.answers.saveAnswer>>>).value;
    assert.equal(saved.version, 1);
    assert.equal(saved.copiedFromRoundId, imported, '沿用上轮 recorded like a unit’s');
    const text = saved.text;
    assert.equal((await s.answers.collectiveAnswers(s.office, round.id, each)).items[0]!.answer.text, text);
    const audited = (await auditOf(database, 'answer.save')).filter((row) => row.object_id === `${round.id}/${s.firstTask}/${each}`);
    assert.equal(audited.length, 1);
    assert.equal(JSON.parse(audited[0]!.detail).collective, true);
    assert.equal((await firstRow(round.id)).progress, `${text}（各处(室)）`, 'in hand without a submission, attributed like a unit’s answer');
    assert.ok(!(await s.rounds.board(s.office, round.id)).rows.some((row) => row.unitId === each), 'still not chased');

    await s.rounds.closeRound(s.office, round.id);
    await rejects(s.answers.saveAnswer(s.office, round.id, s.firstTask, each, { ...input, version: 1 }), 'conflict', 'round_not_open');

    // Mapped to member units: the office neither reads nor writes it, and says who answers.
    await s.rounds.setCollectiveMembers(s.office, each, [s.unit('环评处'), s.unit('规财处')]);
    const mapped = await s.open({ label: '2017年第四季度' });
    const named = (error: unknown) =>
      isDomainError(error) && error.code === 'collective_answered_by_members' && /环评处、规财处/.test(error.message) && !/[A-Za-z]/.test(error.message);
    await assert.rejects(s.answers.collectiveAnswers(s.office, mapped.id, each), named);
    await assert.rejects(s.answers.saveAnswer(s.office, mapped.id, s.firstTask, each, { ...input, copiedFromPrevious: false }), named);
    // 直属单位 stays with the office in that round.
    assert.equal((await s.answers.collectiveAnswers(s.office, mapped.id, s.unit('直属单位'))).items.length, 1);
  });
});
