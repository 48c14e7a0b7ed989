import type { UserActor } from '../../src/domain/actor.ts';
import type { Finding, IndicatorTarget, TaskPlace } from '../../src/domain/insights/types.ts';
import type { Database } from '../../src/server/db/database.ts';
import type { Repositories } from '../../src/server/db/repositories/index.ts';
import { createAnswerService } from '../../src/server/services/answer.service.ts';
import type { FindingsSource } from '../../src/server/services/findings-source.ts';
import { createRoundService } from '../../src/server/services/round.service.ts';
import { createSubmissionService } from '../../src/server/services/submission.service.ts';
import { person } from './people.ts';
import { seededRoundWork } from './seeded-plan.ts';

/**
 * Issue 15's boards (evaluation, dashboard, explanations) start from the seed plus one live round,
 * 2017年第三季度 (deadline 2017-10-10): 环评处 answers everything 按期推进, is returned once by the
 * office, resubmits on time and is accepted; 规财处 answers (its first task 滞后) and submits two
 * days late; 水处 writes nothing. The clock ends on 2017-10-12.
 */
export async function boardsScenario(database: Database) {
  const { time, planId, importedRoundId, unit, deps } = await seededRoundWork(database);
  const office = await person(database, 'office', { name: '张敏' });
  const leader = await person(database, 'leader', { name: '李岳东' });
  const huanping = await person(database, 'reporter', { unitId: unit('环评处'), name: '王芳' });
  const huanpingHead = await person(database, 'unit_head', { unitId: unit('环评处'), name: '陈处长' });
  const guicai = await person(database, 'reporter', { unitId: unit('规财处'), name: '刘洋' });
  const rounds = createRoundService(deps);
  const answers = createAnswerService(deps);
  const submissions = createSubmissionService(deps);
  const q3 = await rounds.openRound(office, planId, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: '2017-10-10',
    note: null,
    requiresApproval: false,
  });

  const fill = async (actor: UserActor, unitId: number, status: (index: number) => 'on_track' | 'delayed') => {
    const todo = await answers.todo(actor, q3.id, unitId);
    for (const [index, item] of todo.items.entries())
      await answers.saveAnswer(actor, q3.id, item.task.id, unitId, {
        text: `第${index + 1}项：7 月完成审批 ${index + 3} 件。`,
        status: status(index),
        reason: status(index) === 'delayed' ? '资金未到位' : null,
        version: item.answer.version,
      });
    return todo.items.map((item) => item.task.id);
  };
  const huanpingTasks = await fill(huanping, unit('环评处'), () => 'on_track');
  await submissions.submit(huanping, q3.id, unit('环评处'));
  await submissions.returnAnswers(office, q3.id, unit('环评处'), '请补充数据');
  await submissions.submit(huanping, q3.id, unit('环评处'));
  await submissions.accept(office, q3.id, unit('环评处'));
  const guicaiTasks = await fill(guicai, unit('规财处'), (index) => (index === 0 ? 'delayed' : 'on_track'));
  time.set('2017-10-12T10:00:00+08:00');
  await submissions.submit(guicai, q3.id, unit('规财处'));
  const shuichuTasks = (await answers.todo(office, q3.id, unit('水处'))).items.map((item) => item.task.id);

  return {
    time,
    planId,
    importedRoundId,
    q3Id: q3.id,
    unit,
    deps,
    office,
    leader,
    huanping,
    huanpingHead,
    guicai,
    huanpingTasks,
    guicaiTasks,
    shuichuTasks,
    rounds,
  };
}

const PLACE: TaskPlace = { chapter: 1, section: 1, index: 1 };

/** A finding of `kind` on a task for a unit, with the fields the boards read (the rest plausible). */
export function finding(kind: Finding['kind'], taskId: number, unitId: number | null, extra: Record<string, unknown> = {}): Finding {
  const base = { task: PLACE, taskId, unit: null, unitId };
  switch (kind) {
    case 'arithmetic':
      return { ...base, kind, relation: 'ratio', quote: '占比 72.4%', stated: '72.4%', computed: '72.41%', ok: true, ...extra } as Finding;
    case 'indicator':
      return {
        ...base,
        kind,
        key: 'k1',
        name: '地表水优良水质断面比例',
        target: TARGET,
        targetQuote: '达到 82% 以上',
        actual: { value: 72.4, unit: '%', basis: 'level', months: null, baseYear: null, quote: '72.4%' },
        expected: 80,
        verdict: 'behind',
        status: 'confirmed',
        ...extra,
      } as Finding;
    case 'stale':
      return { ...base, kind, similarity: 0.98, against: '2017年第二季度', copiedUnchanged: false, ...extra } as Finding;
    case 'duplicate':
      return { ...base, kind, other: PLACE, otherTaskId: taskId, otherUnit: null, similarity: 1, ...extra } as Finding;
    case 'no_new_facts':
      return { ...base, kind, quote: '配合相关职能部门推进相关工作。', ...extra } as Finding;
    case 'silent_unit':
      return { ...base, kind, ...extra } as Finding;
  }
}

export const TARGET: IndicatorTarget = { value: 82, unit: '%', direction: 'up', bound: 'at_least', baseYear: 2015, baseValue: 70, byYear: 2020, period: null };

/** A findings source answering fixed findings per round, counting how often each round is asked. */
export function fixedFindings(byRound: Map<number, Finding[]>): FindingsSource & { calls: Map<number, number> } {
  const calls = new Map<number, number>();
  const source = async (_repositories: Repositories, roundId: number) => {
    calls.set(roundId, (calls.get(roundId) ?? 0) + 1);
    return byRound.get(roundId) ?? [];
  };
  return Object.assign(source, { calls });
}
