import assert from 'node:assert/strict';
import { systemActor, type Actor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { InstructionLimits } from '../../domain/limits.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { countRows } from '../../../tests/support/db-inspection.ts';
import { person } from '../../../tests/support/people.ts';
import { importSeed, taskIdContaining, unitIdOf, userActor } from '../../../tests/support/seeded-plan.ts';
import { createNotificationService } from './notification.service.ts';
import { createInstructionService } from './instruction.service.ts';
import { createPlanViewService } from './plan-view.service.ts';

const NOW = new Date('2017-08-01T09:30:00.000Z');
const leader = userActor('leader', { name: '李岳东', username: 'leader' });

async function rejects(promise: Promise<unknown>, kind: string, code?: string): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(isDomainError(error), `expected a DomainError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    if (code) assert.equal(error.code, code);
    return true;
  });
}

forEachEngine('instructions (批示)', (it) => {
  it('a leader writes one on a task, audited in the same transaction; every business role reads it on the task page', async (database) => {
    const { planId, roundId } = await importSeed(database);
    const service = createInstructionService({ database, now: () => NOW });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const first = await service.createInstruction(leader, taskId, { text: '  请水处牵头，\u000b加快推进饮用水源地整治。\n下季度报结果。 ' });
    assert.deepEqual(first, {
      id: first.id,
      taskId,
      roundId: null,
      author: '李岳东',
      text: '请水处牵头，加快推进饮用水源地整治。\n下季度报结果。',
      createdAt: NOW.toISOString(),
    });
    const second = await service.createInstruction(leader, taskId, { text: '同意。', roundId });
    assert.equal(second.roundId, roundId);

    const audit = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'instruction.create').orderBy('id').execute();
    assert.equal(audit.length, 2);
    assert.equal(audit[0]!.object_type, 'task');
    assert.equal(audit[0]!.object_id, String(taskId));
    assert.equal(audit[0]!.user_id, leader.userId);
    assert.equal(JSON.parse(audit[1]!.detail).instructionId, second.id);

    const views = createPlanViewService({ database });
    for (const reader of [
      leader,
      userActor('office'),
      userActor('reporter', { unitId: await unitIdOf(database, '环评处') }),
      userActor('unit_head', { unitId: 1 }),
    ]) {
      const detail = await views.taskDetail(reader, taskId);
      assert.deepEqual(detail.instructions, [first, second], `${reader.kind === 'user' ? reader.role : 'system'} reads the instructions, oldest first`);
      assert.deepEqual(
        await service.listInstructions(reader, taskId),
        [first, second].map((item) => ({ ...item, feedback: [] })),
      );
    }
  });

  it('only a leader may write: the office, units, admins and the CLI are refused and nothing is stored', async (database) => {
    const { planId } = await importSeed(database);
    const service = createInstructionService({ database, now: () => NOW });
    const taskId = await taskIdContaining(database, planId, '饮用水');
    const before = await countRows(database);
    const others: Actor[] = [
      userActor('office'),
      userActor('reporter', { unitId: 1 }),
      userActor('unit_head', { unitId: 1 }),
      userActor('system_admin'),
      userActor('security_admin'),
      userActor('audit_admin'),
      systemActor('cli'),
    ];
    for (const actor of others) await rejects(service.createInstruction(actor, taskId, { text: '批示。' }), 'forbidden');
    for (const role of ['system_admin', 'security_admin', 'audit_admin'] as const)
      await rejects(service.listInstructions(userActor(role), taskId), 'forbidden');
    assert.deepEqual(await countRows(database), before);
    assert.equal((await database.db.selectFrom('instructions').selectAll().execute()).length, 0);
  });

  it('refuses empty or too long text (422), a round of no plan of the task (422), an unknown task (404)', async (database) => {
    const { planId } = await importSeed(database);
    const service = createInstructionService({ database, now: () => NOW });
    const taskId = await taskIdContaining(database, planId, '饮用水');
    await rejects(service.createInstruction(leader, taskId, { text: ' \u000b\n ' }), 'invalid', 'instruction_empty');
    await rejects(service.createInstruction(leader, taskId, { text: '批'.repeat(InstructionLimits.text.max + 1) }), 'invalid', 'instruction_too_long');
    assert.equal((await service.createInstruction(leader, taskId, { text: '批'.repeat(InstructionLimits.text.max) })).text.length, InstructionLimits.text.max);
    await rejects(service.createInstruction(leader, taskId, { text: '批示。', roundId: 999_999 }), 'invalid', 'instruction_round_invalid');
    await rejects(service.createInstruction(leader, 999_999, { text: '批示。' }), 'not_found', 'task_not_found');
    await rejects(service.listInstructions(leader, 999_999), 'not_found', 'task_not_found');
    assert.equal((await database.db.selectFrom('instructions').selectAll().execute()).length, 1);
  });

  it('a 批示 tells each unit of the task, naming the task; other units are not told', async (database) => {
    const { planId } = await importSeed(database);
    const service = createInstructionService({ database, now: () => NOW });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const taskUnits = (await database.db.selectFrom('task_units').select('unit_id').where('task_id', '=', taskId).execute()).map((r) => r.unit_id);
    assert.ok(taskUnits.length >= 1);
    const author = await person(database, 'leader', { name: '李岳东' });
    await service.createInstruction(author, taskId, { text: '请加快推进。' });
    const rows = await database.db.selectFrom('notifications').selectAll().where('kind', '=', 'instruction').execute();
    assert.deepEqual(rows.map((r) => r.unit_id).sort(), [...taskUnits].sort());
    for (const row of rows) {
      assert.equal(row.task_id, taskId);
      assert.equal(row.user_id, null);
      assert.match(row.message, /^李岳东对任务“实施饮用水环境安全保障工程.{0,30}”作出批示/);
    }
    const outsider = await database.db.selectFrom('units').select('id').where('id', 'not in', taskUnits).executeTakeFirstOrThrow();
    const notifications = createNotificationService({ database, now: () => NOW });
    assert.deepEqual(await notifications.list(await person(database, 'reporter', { unitId: outsider.id })), []);
    assert.equal((await notifications.list(await person(database, 'reporter', { unitId: taskUnits[0]! }))).filter((n) => n.kind === 'instruction').length, 1);
  });

  it("落实反馈: only a unit of the task may answer; audited; the leader who wrote the 批示 is told; shown under the 批示 and on the unit's to-do", async (database) => {
    const { planId } = await importSeed(database);
    const service = createInstructionService({ database, now: () => NOW });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const taskUnits = (await database.db.selectFrom('task_units').select('unit_id').where('task_id', '=', taskId).orderBy('position').execute()).map(
      (r) => r.unit_id,
    );
    const unitId = taskUnits[0]!;
    const unitName = (await database.db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirstOrThrow()).name;
    const author = await person(database, 'leader', { name: '李岳东' });
    const otherLeader = await person(database, 'leader', { name: '杨帆' });
    const instruction = await service.createInstruction(author, taskId, { text: '请加快推进。' });

    const outsiderUnit = (await database.db.selectFrom('units').select('id').where('id', 'not in', taskUnits).executeTakeFirstOrThrow()).id;
    const before = await countRows(database);
    for (const actor of [
      await person(database, 'reporter', { unitId: outsiderUnit }),
      await person(database, 'unit_head', { unitId: outsiderUnit }),
      await person(database, 'office'),
      author,
      systemActor('cli'),
    ])
      await rejects(service.addFeedback(actor, instruction.id, { text: '已落实。' }), 'forbidden');
    assert.deepEqual(await countRows(database), before, 'a refused answer stores nothing');
    const reporter = await person(database, 'reporter', { unitId, name: '张敏' });
    await rejects(service.addFeedback(reporter, instruction.id, { text: ' \u000b ' }), 'invalid', 'instruction_feedback_empty');
    await rejects(
      service.addFeedback(reporter, instruction.id, { text: '反'.repeat(InstructionLimits.feedback.max + 1) }),
      'invalid',
      'instruction_feedback_too_long',
    );
    await rejects(service.addFeedback(reporter, 999_999, { text: '已落实。' }), 'not_found', 'instruction_not_found');

    const feedback = await service.addFeedback(reporter, instruction.id, { text: '已完成水源地整治方案，\u000b正在推进。' });
    assert.deepEqual(feedback, {
      id: feedback.id,
      instructionId: instruction.id,
      unitId,
      unitName,
      author: '张敏',
      text: '已完成水源地整治方案，正在推进。',
      createdAt: NOW.toISOString(),
    });

    const audit = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'instruction.feedback').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.object_id, String(taskId));
    assert.deepEqual(JSON.parse(audit[0]!.detail), { instructionId: instruction.id, feedbackId: feedback.id, unitId, characters: 16 });

    const notifications = createNotificationService({ database, now: () => NOW });
    const told = (await notifications.list(author)).filter((n) => n.kind === 'instruction_feedback');
    assert.equal(told.length, 1);
    assert.equal(told[0]!.taskId, taskId);
    assert.match(told[0]!.message, new RegExp(`^${unitName}对任务“实施饮用水.*”的批示反馈了落实情况（张敏）。$`));
    assert.deepEqual(await notifications.list(otherLeader), [], 'only the leader who wrote it');
    assert.ok(
      (await notifications.list(reporter)).every((n) => n.kind !== 'instruction_feedback'),
      'the unit is not told of its own answer',
    );

    assert.deepEqual(await service.listInstructions(author, taskId), [{ ...instruction, feedback: [feedback] }]);

    const roundId = (await database.db.selectFrom('round_tasks').select('round_id').where('task_id', '=', taskId).executeTakeFirstOrThrow()).round_id;
    const onTodo = await service.listForUnit(reporter, roundId, unitId);
    assert.deepEqual(onTodo, [{ ...instruction, feedback: [feedback] }]);
    assert.deepEqual(await service.listForUnit(author, roundId, unitId), onTodo, 'leaders read it too');
    await rejects(service.listForUnit(await person(database, 'reporter', { unitId: outsiderUnit }), roundId, unitId), 'forbidden');
    assert.deepEqual(
      await service
        .listForUnit(await person(database, 'reporter', { unitId: outsiderUnit }), roundId, outsiderUnit)
        .then((list) => list.filter((i) => i.taskId === taskId)),
      [],
    );
  });
});
