import assert from 'node:assert/strict';
import { systemActor, type Actor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { InstructionLimits } from '../../domain/limits.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { countRows } from '../../../tests/support/db-inspection.ts';
import { importSeed, taskIdContaining, unitIdOf, userActor } from '../../../tests/support/seeded-plan.ts';
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
    for (const reader of [leader, userActor('office'), userActor('reporter', { unitId: await unitIdOf(database, '环评处') }), userActor('unit_head', { unitId: 1 })]) {
      const detail = await views.taskDetail(reader, taskId);
      assert.deepEqual(detail.instructions, [first, second], `${reader.kind === 'user' ? reader.role : 'system'} reads the instructions, oldest first`);
      assert.deepEqual(await service.listInstructions(reader, taskId), [first, second]);
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
    for (const role of ['system_admin', 'security_admin', 'audit_admin'] as const) await rejects(service.listInstructions(userActor(role), taskId), 'forbidden');
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
});
