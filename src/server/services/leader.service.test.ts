import assert from 'node:assert/strict';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { person } from '../../../tests/support/people.ts';
import { importSeed, userActor } from '../../../tests/support/seeded-plan.ts';
import { createAnswerService } from './answer.service.ts';
import { createLeaderService } from './leader.service.ts';
import { createPlanViewService } from './plan-view.service.ts';
import { createRoundService } from './round.service.ts';

const NOW = new Date('2017-10-12T02:00:00.000Z');

forEachEngine('leaders: 我分管的', (it) => {
  it('the tasks the leader leads in the latest open round, lagging ones first, late units, and last round beside this one', async (database) => {
    const { planId, roundId: importedRoundId } = await importSeed(database);
    const leaderId = (await database.db.selectFrom('leaders').select('id').where('name', '=', '李岳东').executeTakeFirstOrThrow()).id;
    const ledTaskIds = (await database.db.selectFrom('task_leaders').select('task_id').where('leader_id', '=', leaderId).execute()).map((r) => r.task_id);
    assert.ok(ledTaskIds.length >= 3, 'the seed names 李岳东 on several tasks');

    const leaderService = createLeaderService({ database, now: () => NOW });
    const leader = userActor('leader', { name: '李岳东' });
    const beforeOpen = await leaderService.portfolio(leader);
    assert.equal(beforeOpen.round?.id, importedRoundId, 'with no open round, the latest round');
    assert.equal(beforeOpen.previousRound, null);

    const office = await person(database, 'office');
    const rounds = createRoundService({ database, now: () => new Date('2017-09-20T01:00:00.000Z') });
    const round = await rounds.openRound(office, planId, {
      label: '2017年第三季度',
      periodStart: null,
      periodEnd: null,
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });

    // A task far down the plan, answered 滞后 by its lead unit, must come first.
    const tasks = await database.db.selectFrom('tasks').select(['id', 'position']).where('id', 'in', ledTaskIds).orderBy('position').execute();
    const laggingTask = tasks.at(-1)!;
    const lead = await database.db
      .selectFrom('task_units')
      .select('unit_id')
      .where('task_id', '=', laggingTask.id)
      .where('role', '=', 'lead')
      .executeTakeFirstOrThrow();
    const reporter = await person(database, 'reporter', { unitId: lead.unit_id });
    const answers = createAnswerService({ database, now: () => new Date('2017-10-01T01:00:00.000Z') });
    const todo = await answers.todo(reporter, round.id, lead.unit_id);
    const item = todo.items.find((i) => i.task.id === laggingTask.id)!;
    await answers.saveAnswer(reporter, round.id, laggingTask.id, lead.unit_id, {
      text: '资金未到位。',
      status: 'delayed',
      reason: '资金未到位',
      version: item.answer.version,
    });

    // The seed's imported text carries no status: give one answer of the first task one, as last round.
    const firstTask = tasks[0]!;
    const stored = await database.db
      .selectFrom('progress_entries')
      .select('id')
      .where('round_id', '=', importedRoundId)
      .where('task_id', '=', firstTask.id)
      .executeTakeFirstOrThrow();
    await database.db.updateTable('progress_entries').set({ status: 'completed' }).where('id', '=', stored.id).execute();

    const view = await leaderService.portfolio(leader);
    assert.equal(view.leader, '李岳东');
    assert.equal(view.round?.id, round.id);
    assert.equal(view.previousRound?.id, importedRoundId, 'compared with the round before');
    assert.deepEqual(
      view.tasks.map((t) => t.taskId).sort((a, b) => a - b),
      [...ledTaskIds].sort((a, b) => a - b),
    );
    assert.equal(view.tasks[0]!.taskId, laggingTask.id, 'lagging first');
    assert.equal(view.tasks[0]!.lagging, true);
    assert.equal(view.tasks[0]!.status, 'delayed');
    assert.deepEqual(
      view.tasks.slice(1).map((t) => t.position),
      view.tasks
        .slice(1)
        .map((t) => t.position)
        .sort((a, b) => a - b),
      'then in plan order',
    );
    assert.ok(view.tasks.slice(1).every((t) => !t.lagging));
    // Each task where the plan view prints it (二.(二).4): its index among its section's tasks in the round's tree.
    const tree = await createPlanViewService({ database }).planTree(office, planId, { roundId: round.id });
    const printed = new Map<number, { chapter: number; section: number; index: number }>();
    for (const chapter of tree.chapters)
      for (const section of chapter.sections)
        section.tasks.forEach((task, at) => printed.set(task.id, { chapter: chapter.number, section: section.number, index: at + 1 }));
    for (const task of view.tasks) assert.deepEqual(task.place, printed.get(task.taskId), `task ${task.taskId}`);
    assert.ok(
      view.tasks.some((t) => t.place!.index !== t.position),
      'the index in its section, not the stored position',
    );
    const laggingUnit = view.tasks[0]!.units.find((u) => u.unitId === lead.unit_id)!;
    assert.equal(laggingUnit.status, 'delayed');
    assert.equal(laggingUnit.state, 'draft');
    assert.equal(laggingUnit.pending, true);
    assert.equal(laggingUnit.late, true, 'the deadline has passed and it has not submitted');
    const first = view.tasks.find((t) => t.taskId === firstTask.id)!;
    assert.equal(first.previousStatus, 'completed', "last round's status beside this round's");
    assert.equal(first.status, null, 'not answered yet this round');

    // A unit the office gave more time is not late before its own deadline; one that submitted late stays late.
    await database.db
      .updateTable('unit_submissions')
      .set({ deadline: '2017-10-20' })
      .where('round_id', '=', round.id)
      .where('unit_id', '=', lead.unit_id)
      .execute();
    const extended = (await leaderService.portfolio(leader)).tasks[0]!.units.find((u) => u.unitId === lead.unit_id)!;
    assert.equal(extended.late, false, 'its own deadline has not passed');
    await database.db
      .updateTable('unit_submissions')
      .set({ state: 'submitted', submitted_late: 1 })
      .where('round_id', '=', round.id)
      .where('unit_id', '=', lead.unit_id)
      .execute();
    const submittedLate = (await leaderService.portfolio(leader)).tasks[0]!.units.find((u) => u.unitId === lead.unit_id)!;
    assert.deepEqual([submittedLate.pending, submittedLate.late], [false, true], 'in, but after its deadline');
  });

  it('a leader named on no task gets an empty page; every other role is refused', async (database) => {
    await importSeed(database);
    const service = createLeaderService({ database, now: () => NOW });
    assert.deepEqual(await service.portfolio(userActor('leader', { name: '没有分管' })), { leader: '没有分管', round: null, previousRound: null, tasks: [] });
    for (const role of ['office', 'reporter', 'unit_head', 'system_admin', 'audit_admin', 'security_admin'] as const)
      await assert.rejects(
        service.portfolio(userActor(role, { unitId: role === 'reporter' || role === 'unit_head' ? 1 : null })),
        (error) => isDomainError(error) && error.kind === 'forbidden',
      );
    await assert.rejects(service.portfolio({ kind: 'system', name: 'cli', userId: null }), (error) => isDomainError(error) && error.kind === 'forbidden');
  });
});
