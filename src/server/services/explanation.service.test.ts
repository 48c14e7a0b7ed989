import assert from 'node:assert/strict';
import { isDomainError } from '../../domain/errors.ts';
import { boardsScenario } from '../../../tests/support/boards-scenario.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { person } from '../../../tests/support/people.ts';
import { createExplanationService, explanationsIn, openExplanationsIn } from './explanation.service.ts';
import { createRepositories } from '../db/repositories/index.ts';

const fails = (kind: string, code?: string) => (error: unknown) => isDomainError(error) && error.kind === kind && (code === undefined || error.code === code);

forEachEngine('explanation service (请说明)', (it) => {
  it('asks a unit of the task once per kind, tells it, takes and edits its reply while the round is open, tells the office, audits each step', async (database) => {
    const s = await boardsScenario(database);
    const h = s.unit('环评处');
    const service = createExplanationService({ database, now: s.time.now });
    const taskId = s.huanpingTasks[0]!;
    const ask = { taskId, unitId: h, kind: 'stale' as const, message: '  与上轮填报基本相同，请说明本季度新进展。\u0007 ' };

    // Two clicks at once: one request, the other told it is already open.
    const results = await Promise.allSettled([service.request(s.office, s.q3Id, ask), service.request(s.office, s.q3Id, ask)]);
    const made = results.filter((r) => r.status === 'fulfilled');
    assert.equal(made.length, 1);
    assert.ok(results.some((r) => r.status === 'rejected' && fails('conflict', 'explanation_open')(r.reason)));
    const request = (made[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof service.request>>>).value;
    assert.equal(request.message, '与上轮填报基本相同，请说明本季度新进展。', 'trimmed, control characters gone');
    assert.deepEqual(
      { unit: request.unitName, by: request.requestedBy, round: request.roundLabel, reply: request.reply },
      { unit: '环评处', by: '张敏', round: '2017年第三季度', reply: null },
    );
    // Another kind on the same task is another request.
    await service.request(s.office, s.q3Id, { ...ask, kind: 'no_new_facts' });

    // Who may ask, of whom, with what.
    await assert.rejects(service.request(s.leader, s.q3Id, ask), fails('forbidden'));
    await assert.rejects(service.request(s.huanping, s.q3Id, ask), fails('forbidden'));
    await assert.rejects(
      service.request(s.office, s.q3Id, { ...ask, unitId: s.unit('水处'), taskId: s.huanpingTasks.find((id) => !s.shuichuTasks.includes(id))! }),
      fails('invalid', 'explanation_unit_not_asked'),
    );
    await assert.rejects(service.request(s.office, s.q3Id, { ...ask, message: '\u0007 ' }), fails('invalid', 'explanation_message_empty'));
    const collective = await database.db
      .selectFrom('task_units')
      .innerJoin('units', 'units.id', 'task_units.unit_id')
      .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
      .select(['task_units.task_id', 'units.id'])
      .where('units.collective', '=', 1)
      .where('round_tasks.round_id', '=', s.q3Id)
      .executeTakeFirstOrThrow();
    await assert.rejects(
      service.request(s.office, s.q3Id, { ...ask, taskId: collective.task_id, unitId: collective.id }),
      fails('invalid', 'explanation_unit_collective'),
    );
    await assert.rejects(
      service.request(s.office, s.q3Id, { ...ask, kind: 'indicator', message: '说'.repeat(501) }),
      fails('invalid', 'explanation_message_too_long'),
    );
    await service.request(s.office, s.q3Id, { ...ask, kind: 'indicator', message: '说'.repeat(500) });
    await assert.rejects(service.request(s.office, 999_999, ask), fails('not_found', 'round_not_found'));

    const told = await database.db
      .selectFrom('notifications')
      .select(['unit_id', 'kind', 'message', 'task_id'])
      .where('kind', '=', 'explanation_requested')
      .orderBy('id')
      .execute();
    assert.equal(told.length, 3);
    assert.equal(told[0]!.unit_id, h);
    assert.equal(told[0]!.task_id, taskId);
    assert.match(told[0]!.message, /^办公室请你单位就“2017年第三季度”任务“.+”与上轮填报基本相同作出说明：与上轮填报基本相同，请说明本季度新进展。$/);

    // The unit reads its list, newest first; another unit and leaders do not.
    assert.deepEqual(
      (await service.listForUnit(s.huanping, h)).map((e) => e.kind),
      ['indicator', 'no_new_facts', 'stale'],
    );
    assert.equal((await service.listForUnit(s.office, h)).length, 3);
    await assert.rejects(service.listForUnit(await person(database, 'reporter', { unitId: s.unit('水处') }), h), fails('forbidden'));
    await assert.rejects(service.listForUnit(s.leader, h), fails('forbidden'));
    await assert.rejects(service.listForUnit(s.office, 999_999), fails('not_found', 'unit_not_found'));

    // The reply: the unit's reporter or head; edited while the round is open.
    await assert.rejects(service.reply(s.guicai, request.id, { reply: '不是我们' }), fails('forbidden'));
    await assert.rejects(service.reply(s.office, request.id, { reply: '代答' }), fails('forbidden'));
    await assert.rejects(service.reply(s.huanping, request.id, { reply: ' ' }), fails('invalid', 'explanation_reply_empty'));
    await assert.rejects(service.reply(s.huanping, request.id, { reply: '说'.repeat(2001) }), fails('invalid', 'explanation_reply_too_long'));
    await assert.rejects(service.reply(s.huanping, 999_999, { reply: '说明' }), fails('not_found', 'explanation_not_found'));
    const replied = await service.reply(s.huanping, request.id, { reply: '本季度新增审批 12 件。' });
    assert.deepEqual({ reply: replied.reply, by: replied.repliedBy }, { reply: '本季度新增审批 12 件。', by: '王芳' });
    const edited = await service.reply(s.huanpingHead, request.id, { reply: '本季度新增审批 12 件，验收 3 件。' });
    assert.deepEqual({ reply: edited.reply, by: edited.repliedBy }, { reply: '本季度新增审批 12 件，验收 3 件。', by: '陈处长' });
    const office = await database.db
      .selectFrom('notifications')
      .select(['unit_id', 'message'])
      .where('kind', '=', 'explanation_replied')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      office.map((n) => n.unit_id),
      [h, h],
    );
    assert.match(office[0]!.message, /^环评处已就“2017年第三季度”任务“.+”作出说明（王芳）。$/);
    assert.match(office[1]!.message, /^环评处修改了就/);

    // The round's view: every request; the insights carry the open ones.
    const repositories = createRepositories(database.db);
    assert.equal((await explanationsIn(repositories, s.q3Id)).length, 3);
    assert.deepEqual((await openExplanationsIn(repositories, s.q3Id)).map((e) => e.kind).sort(), ['indicator', 'no_new_facts']);
    assert.equal((await service.listForRound(s.leader, s.q3Id)).length, 3);
    await assert.rejects(service.listForRound(s.huanping, s.q3Id), fails('forbidden'));
    const view = (await explanationsIn(repositories, s.q3Id))[0]!;
    assert.ok(view.task.chapter >= 1 && view.task.section >= 1 && view.task.index >= 1);

    // Closed: a first reply is still taken, an edit is not.
    await s.rounds.closeRound(s.office, s.q3Id);
    await assert.rejects(service.reply(s.huanping, request.id, { reply: '再改' }), fails('conflict', 'explanation_round_closed'));
    const open = (await openExplanationsIn(repositories, s.q3Id))[0]!;
    assert.equal((await service.reply(s.huanping, open.id, { reply: '已说明' })).reply, '已说明');

    const audited = await database.db
      .selectFrom('audit_events')
      .select(['action', 'object_type', 'detail'])
      .where('object_type', '=', 'explanation')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audited.map((row) => row.action),
      ['explanation.request', 'explanation.request', 'explanation.request', 'explanation.reply', 'explanation.reply', 'explanation.reply'],
    );
    assert.equal(JSON.parse(audited[4]!.detail).edited, true);
  });
});
