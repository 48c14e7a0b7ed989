import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Actor, UserActor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import type { Database } from '../db/database.ts';
import { groupCommitStats } from '../db/transaction.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createRoundService } from './round.service.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');

const reporter = (userId: number, username: string, unitId: number): UserActor => ({
  kind: 'user',
  userId,
  username,
  name: username,
  role: 'reporter',
  unitId,
});

/** The seed imported and the office's next round opened over it (no dates): the answer service, the round, units by name. */
async function openSeedRound(database: Database, beforeOpening: (unitIds: ReadonlyMap<string, number>) => Promise<void> = async () => {}) {
  const now = () => new Date('2017-09-20T09:00:00+08:00');
  const system: Actor = { kind: 'system', name: 'test', userId: null };
  const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
  const unitIds = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  await beforeOpening(unitIds);
  const round = await createRoundService({ database, now }).openRound(
    { kind: 'user', userId: 1, username: 'office', name: '办公室', role: 'office', unitId: null },
    imported.planId,
    {
      label: '2017年第三季度',
      periodStart: null,
      periodEnd: null,
      deadline: null,
      note: null,
      requiresApproval: false,
    },
  );
  return { answers: createAnswerService({ database, now }), round, unitIds };
}

forEachEngine('answers: to-do list and draft saves arriving together (group commit on SQLite)', (it, engine) => {
  it('concurrent saves, one stale and one refused among them: each gets its own answer, the others are stored', async (database) => {
    const now = () => new Date('2017-09-20T09:00:00+08:00');
    const system: Actor = { kind: 'system', name: 'test', userId: null };
    const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
    const unitIds = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
    const unitId = unitIds.get('环评处')!;
    const otherUnit = unitIds.get('规财处')!;
    const rounds = createRoundService({ database, now });
    const answers = createAnswerService({ database, now });
    const round = await rounds.openRound({ kind: 'user', userId: 1, username: 'office', name: '办公室', role: 'office', unitId: null }, imported.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    const me = reporter(101, 'huanping', unitId);
    const colleague = reporter(102, 'huanping2', unitId);
    const [a, b, c] = (await answers.todo(me, round.id, unitId)).items.map((item) => item.task.id);
    const foreign = (await answers.todo(reporter(103, 'guicai', otherUnit), round.id, otherUnit)).items.find(
      (item) => item.task.id !== a && item.task.id !== b && item.task.id !== c,
    )!.task.id;
    const before = groupCommitStats(database);

    const draft = (text: string, version: number | null) => ({ text, status: 'on_track' as const, reason: null, version });
    const results = await Promise.allSettled([
      answers.saveAnswer(me, round.id, a!, unitId, draft('甲任务第一稿', 0)),
      // Same box, same starting version, a moment later: stale against the save just before it.
      answers.saveAnswer(colleague, round.id, a!, unitId, draft('同事写的甲任务', 0)),
      answers.saveAnswer(me, round.id, b!, unitId, draft('乙任务第一稿', 0)),
      // A task of another unit: refused, and it must not take the others down with it.
      answers.saveAnswer(me, round.id, foreign, unitId, draft('不属于本单位的任务', 0)),
      answers.saveAnswer(me, round.id, c!, unitId, draft('丙任务第一稿', 0)),
    ]);

    // On SQLite the group runs saves in arrival order, so the first of the two wins; on
    // PostgreSQL they race on pooled connections and either may win, the other being stale.
    const winner = engine === 'sqlite' || results[0].status === 'fulfilled' ? 0 : 1;
    const loser = 1 - winner;
    const texts = ['甲任务第一稿', '同事写的甲任务'];
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'].map((status, i) => (i === winner ? 'fulfilled' : i === loser ? 'rejected' : status)),
    );
    for (const i of [winner, 2, 4]) assert.equal((results[i] as PromiseFulfilledResult<{ version: number }>).value.version, 1);
    const stale = (results[loser] as PromiseRejectedResult).reason;
    assert.ok(isDomainError(stale) && stale.code === 'answer_stale', String(stale));
    const details = stale.details as { stored: { text: string; version: number }; yours: { text: string } };
    assert.equal(details.stored.text, texts[winner], 'the conflict shows the text stored by the other save');
    assert.equal(details.stored.version, 1);
    assert.equal(details.yours.text, texts[loser], "the loser's own text comes back");
    const refused = (results[3] as PromiseRejectedResult).reason;
    assert.ok(isDomainError(refused) && refused.code === 'task_not_assigned', String(refused));

    const stored = await database.db
      .selectFrom('progress_entries')
      .select(['task_id', 'text', 'version'])
      .where('round_id', '=', round.id)
      .where('unit_id', '=', unitId)
      .orderBy('task_id')
      .execute();
    assert.deepEqual(
      stored.map((r) => [r.task_id, r.text, Number(r.version)]),
      [
        [a, texts[winner], 1],
        [b, '乙任务第一稿', 1],
        [c, '丙任务第一稿', 1],
      ].sort((x, y) => Number(x[0]) - Number(y[0])),
    );
    const audited = await database.db.selectFrom('audit_events').select('object_id').where('action', '=', 'answer.save').orderBy('id').execute();
    assert.deepEqual(
      audited.map((r) => r.object_id).sort(),
      [a, b, c].map((task) => `${round.id}/${task}/${unitId}`).sort(),
      'one audit row per stored save, none for the refused ones',
    );
    const submission = await database.db
      .selectFrom('unit_submissions')
      .select(['state', 'version'])
      .where('round_id', '=', round.id)
      .where('unit_id', '=', unitId)
      .executeTakeFirstOrThrow();
    assert.equal(submission.state, 'draft');
    assert.equal(Number(submission.version), 2, 'moved to draft once, by the first save');

    const after = groupCommitStats(database);
    if (engine === 'sqlite')
      assert.deepEqual(
        { groups: after.groups - before.groups, items: after.items - before.items },
        { groups: 1, items: 5 },
        'the five saves shared one commit',
      );
    else assert.deepEqual(after, before, 'PostgreSQL uses plain transactions');
  });

  it("the lead unit's to-do list shows each co-unit's words and state; a co-unit's shows none", async (database) => {
    const { answers, round, unitIds } = await openSeedRound(database);
    const lead = reporter(101, 'huanping', unitIds.get('环评处')!);
    const co = reporter(102, 'guicai', unitIds.get('规财处')!);
    const shared = async (actor: UserActor) =>
      (await answers.todo(actor, round.id, actor.unitId!)).items.find((item) => item.task.text.startsWith('推动成都平原经济区'))!;
    const before = await shared(lead);
    assert.equal(before.task.role, 'lead');
    assert.deepEqual(before.coUnitAnswers, [{ unitName: '规财处', text: '', status: null, state: 'not_started' }]);
    const coItem = await shared(co);
    assert.equal(coItem.task.role, 'co');
    assert.deepEqual(coItem.coUnitAnswers, []);
    assert.match(before.previousText ?? '', /规划环评/, "last round's text beside the lead unit's box");

    await answers.saveAnswer(co, round.id, coItem.task.id, co.unitId!, { text: '规财处：资金已下达。', status: 'delayed', reason: '等待批复', version: 0 });
    const after = await shared(lead);
    assert.deepEqual(after.coUnitAnswers, [{ unitName: '规财处', text: '规财处：资金已下达。', status: 'delayed', state: 'draft' }]);
    assert.deepEqual(after.task.leaders, before.task.leaders);
    assert.ok(after.task.leaders.length > 0, 'the leaders in charge are named');
  });

  it('a draft save keeps the lists that do not show it (SQLite) and leaves every list exactly as a fresh read', async (database) => {
    const { answers, round, unitIds } = await openSeedRound(database);
    const lead = reporter(101, 'huanping', unitIds.get('环评处')!);
    const co = reporter(102, 'guicai', unitIds.get('规财处')!);
    const bystanderUnit = unitIds.get('法规处')!;
    const bystander = reporter(103, 'fagui', bystanderUnit);
    const sharedTask = (await answers.todo(co, round.id, co.unitId!)).items.find((item) => item.task.text.startsWith('推动成都平原经济区'))!.task.id;
    const units = (await database.db.selectFrom('unit_submissions').select('unit_id').where('round_id', '=', round.id).execute()).map((row) => row.unit_id);
    const actorOf = (unitId: number) => reporter(1000 + unitId, `u${unitId}`, unitId);
    const tasksOf = new Map<number, number[]>();
    for (const unitId of units)
      tasksOf.set(
        unitId,
        (await answers.todo(actorOf(unitId), round.id, unitId)).items.map((item) => item.task.id),
      );
    const versions = new Map<string, number>();
    const save = async (actor: UserActor, taskId: number, text: string) => {
      const key = `${taskId}/${actor.unitId}`;
      const saved = await answers.saveAnswer(actor, round.id, taskId, actor.unitId!, {
        text,
        status: 'on_track',
        reason: null,
        version: versions.get(key) ?? 0,
      });
      versions.set(key, saved.version);
    };
    // A unit's first save moves its submission to 草稿, which the lists of the units leading its tasks show.
    await Promise.all(units.filter((unitId) => unitId !== co.unitId).map((unitId) => save(actorOf(unitId), tasksOf.get(unitId)![0]!, '第一稿')));
    const leadBeforeFirstSave = await answers.todo(lead, round.id, lead.unitId!);
    const ledByLead = new Set(leadBeforeFirstSave.items.filter((item) => item.task.role === 'lead').map((item) => item.task.id));
    await save(
      co,
      tasksOf.get(co.unitId!)!.find((taskId) => !ledByLead.has(taskId))!,
      '第一稿',
    );
    const coState = (list: typeof leadBeforeFirstSave) => list.items.find((item) => item.task.id === sharedTask)!.coUnitAnswers[0]!.state;
    assert.equal(coState(leadBeforeFirstSave), 'not_started');
    assert.equal(coState(await answers.todo(lead, round.id, lead.unitId!)), 'draft', "the co-unit's first save on another task shows on the lead's list");

    const beforeLead = await answers.todo(lead, round.id, lead.unitId!);
    const beforeBystander = await answers.todo(bystander, round.id, bystanderUnit);
    await answers.todo(co, round.id, co.unitId!);
    await save(co, sharedTask, '规财处：资金已下达。');
    const { carried, misses } = answers.todoListStats();
    const afterBystander = await answers.todo(bystander, round.id, bystanderUnit);
    const own = await answers.todo(co, round.id, co.unitId!);
    assert.equal(own.items.find((item) => item.task.id === sharedTask)!.answer.text, '规财处：资金已下达。', 'the saver sees its save at once');
    const afterLead = await answers.todo(lead, round.id, lead.unitId!);
    if (engine === 'sqlite') {
      assert.equal(afterBystander, beforeBystander, 'a unit that does not lead the task keeps its list');
      assert.deepEqual(
        { carried: answers.todoListStats().carried - carried, misses: answers.todoListStats().misses - misses },
        { carried: 3, misses: 0 },
        "the bystander's list kept, the saver's and the lead's with the save applied, none read again",
      );
    }
    assert.notEqual(afterLead, beforeLead, "the lead unit's list is a new one");
    assert.equal(afterLead.items.find((item) => item.task.id === sharedTask)!.coUnitAnswers[0]!.text, '规财处：资金已下达。');
    assert.deepEqual(afterLead, await createAnswerService({ database }).todo(lead, round.id, lead.unitId!), "the lead's list as a fresh read gives it");

    // Saves arriving together (one group commit on SQLite), then every list against a fresh read.
    let seed = 17;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let turn = 0; turn < 4; turn++) {
      const picked = new Map<string, [UserActor, number]>();
      for (let i = 0; i < 8; i++) {
        const unitId = units[next(units.length)]!;
        const tasks = tasksOf.get(unitId)!;
        const taskId = tasks[next(tasks.length)]!;
        picked.set(`${taskId}/${unitId}`, [actorOf(unitId), taskId]);
      }
      await Promise.all([...picked.values()].map(([actor, taskId]) => save(actor, taskId, `第${turn}轮修改`)));
      const fresh = createAnswerService({ database });
      for (const unitId of units)
        assert.deepEqual(
          await answers.todo(actorOf(unitId), round.id, unitId),
          await fresh.todo(actorOf(unitId), round.id, unitId),
          `unit ${unitId} after turn ${turn}`,
        );
    }
  });

  it('a unit named twice on a task: its save reaches every place it shows, on its own list and on the lead unit’s', async (database) => {
    // The importers refuse or merge a unit named twice; a plan stored before they did may still hold one.
    const { answers, round, unitIds } = await openSeedRound(database, async (unitIds) => {
      const shared = await database.db.selectFrom('tasks').select('id').where('text', 'like', '推动成都平原经济区%').executeTakeFirstOrThrow();
      const { last } = await database.db
        .selectFrom('task_units')
        .select((eb) => eb.fn.max('position').as('last'))
        .where('task_id', '=', shared.id)
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('task_units')
        .values({ task_id: shared.id, unit_id: unitIds.get('规财处')!, position: Number(last) + 1, role: 'co' })
        .execute();
    });
    const lead = reporter(101, 'huanping', unitIds.get('环评处')!);
    const co = reporter(102, 'guicai', unitIds.get('规财处')!);
    const coTasks = (await answers.todo(co, round.id, co.unitId!)).items.map((item) => item.task.id);
    const sharedTask = coTasks.find((taskId) => coTasks.indexOf(taskId) !== coTasks.lastIndexOf(taskId));
    assert.ok(sharedTask, 'the task shows twice on the co-unit’s list, as the unit is named twice');
    // A first save elsewhere moves the co-unit's submission to 草稿 (every list read again after it).
    await answers.saveAnswer(
      co,
      round.id,
      coTasks.find((taskId) => taskId !== sharedTask)!,
      co.unitId!,
      { text: '另一项', status: null, reason: null, version: 0 },
    );
    await answers.todo(lead, round.id, lead.unitId!);
    await answers.todo(co, round.id, co.unitId!);
    const before = answers.todoListStats();
    await answers.saveAnswer(co, round.id, sharedTask, co.unitId!, { text: '规财处：资金已下达。', status: 'on_track', reason: null, version: 0 });
    const fresh = createAnswerService({ database });
    const leadList = await answers.todo(lead, round.id, lead.unitId!);
    assert.deepEqual(
      leadList.items
        .find((item) => item.task.id === sharedTask)!
        .coUnitAnswers.filter((answer) => answer.unitName === '规财处')
        .map((answer) => answer.text),
      ['规财处：资金已下达。', '规财处：资金已下达。'],
    );
    assert.deepEqual(leadList, await fresh.todo(lead, round.id, lead.unitId!), "the lead's list as a fresh read gives it");
    assert.deepEqual(
      await answers.todo(co, round.id, co.unitId!),
      await fresh.todo(co, round.id, co.unitId!),
      "the co-unit's own list as a fresh read gives it",
    );
    if (engine === 'sqlite') assert.equal(answers.todoListStats().misses - before.misses, 0, 'both lists carried, none read again');
  });

  it('a to-do list is read once while nothing is written and shows any write at once', async (database) => {
    const { answers, round, unitIds } = await openSeedRound(database);
    const unitId = unitIds.get('环评处')!;
    const me = reporter(101, 'huanping', unitId);
    const first = await answers.todo(me, round.id, unitId);
    const second = await answers.todo(me, round.id, unitId);
    // Kept on both engines (PostgreSQL: decision 043's change feed).
    assert.equal(second, first);
    assert.deepEqual(second, first);

    // A write no answer service made (the office editing the plan's wording) is seen too.
    const taskId = first.items[0]!.task.id;
    await database.db.updateTable('tasks').set({ text: '改写后的任务表述' }).where('id', '=', taskId).execute();
    const third = await answers.todo(me, round.id, unitId);
    assert.equal(third.items[0]!.task.text, '改写后的任务表述');
  });
});

forEachEngine('answers: 沿用上轮 (started from last round’s text)', (it) => {
  it('records the round copied from, and at each save whether the text is still word for word last round’s; the to-do and the audit show it', async (database) => {
    const { answers, round, unitIds } = await openSeedRound(database);
    const unitId = unitIds.get('环评处')!;
    const me = reporter(101, 'huanping', unitId);
    const todo = await answers.todo(me, round.id, unitId);
    const withPrevious = todo.items.filter((item) => item.previousText);
    const [copied, fresh] = withPrevious;
    assert.ok(copied && fresh, 'the seed gives 环评处 last round’s text on at least two tasks');
    const previousRoundId = (await database.db.selectFrom('rounds').select('id').where('id', '<', round.id).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;

    const first = await answers.saveAnswer(me, round.id, copied.task.id, unitId, {
      text: copied.previousText!,
      status: 'on_track',
      reason: null,
      version: 0,
      copiedFromPrevious: true,
    });
    assert.deepEqual([first.copiedFromRoundId, first.copiedUnchanged], [previousRoundId, true]);
    // Edited afterwards (no flag sent any more): still copied, no longer the same.
    const edited = await answers.saveAnswer(me, round.id, copied.task.id, unitId, {
      text: `${copied.previousText}\n本季度新进展：已完成验收。`,
      status: 'on_track',
      reason: null,
      version: 1,
    });
    assert.deepEqual([edited.copiedFromRoundId, edited.copiedUnchanged], [previousRoundId, false]);
    // Back to last round's words (trailing blanks aside): unchanged again.
    const back = await answers.saveAnswer(me, round.id, copied.task.id, unitId, {
      text: `${copied.previousText}  \n`,
      status: 'on_track',
      reason: null,
      version: 2,
    });
    assert.deepEqual([back.copiedFromRoundId, back.copiedUnchanged], [previousRoundId, true]);

    // Typed afresh, even with the same words: not a copy.
    const typed = await answers.saveAnswer(me, round.id, fresh.task.id, unitId, { text: fresh.previousText!, status: 'on_track', reason: null, version: 0 });
    assert.deepEqual([typed.copiedFromRoundId, typed.copiedUnchanged], [null, null]);

    const after = await answers.todo(me, round.id, unitId);
    const shown = (taskId: number) => after.items.find((item) => item.task.id === taskId)!.answer;
    assert.deepEqual([shown(copied.task.id).copiedFromRoundId, shown(copied.task.id).copiedUnchanged], [previousRoundId, true]);
    assert.equal(shown(fresh.task.id).copiedFromRoundId, null);
    assert.equal(after.submission.state, 'draft');

    const audits = await database.db.selectFrom('audit_events').select(['object_id', 'detail']).where('action', '=', 'answer.save').orderBy('id').execute();
    const details = audits.filter((row) => row.object_id === `${round.id}/${copied.task.id}/${unitId}`).map((row) => JSON.parse(row.detail!));
    assert.deepEqual(
      details.map((d) => [d.copiedFromRoundId, d.copiedUnchanged]),
      [
        [previousRoundId, true],
        [previousRoundId, false],
        [previousRoundId, true],
      ],
    );
  });

  it('refuses to record a copy where last round has no text for the unit, and stores nothing', async (database) => {
    const { answers, round, unitIds } = await openSeedRound(database);
    // A unit and task with no text of its own last round (a co-unit’s task: no unattributed text either).
    for (const [name, unitId] of unitIds) {
      const me = reporter(200, name, unitId);
      let todo;
      try {
        todo = await answers.todo(me, round.id, unitId);
      } catch {
        continue;
      }
      const empty = todo.items.find((item) => item.previousText === null);
      if (!empty) continue;
      await assert.rejects(
        answers.saveAnswer(me, round.id, empty.task.id, unitId, { text: '照抄', status: null, reason: null, version: 0, copiedFromPrevious: true }),
        (error: unknown) => isDomainError(error) && error.code === 'nothing_to_copy' && error.kind === 'invalid',
      );
      const stored = await database.db
        .selectFrom('progress_entries')
        .select('id')
        .where('round_id', '=', round.id)
        .where('task_id', '=', empty.task.id)
        .where('unit_id', '=', unitId)
        .execute();
      assert.equal(stored.length, 0);
      return;
    }
    assert.fail('the seed has no task without last round’s text');
  });
});
