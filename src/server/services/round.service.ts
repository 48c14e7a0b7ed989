import { type Actor, actorLabel } from '../../domain/actor.ts';
import type { BoardView, CollectiveUnitView, RoundDeliveryView, RoundView, TrafficLight } from '../../domain/api/round-view.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { DEFAULT_TIME_ZONE, formatDateTimeZh, isCalendarDate, utcOffsetOf } from '../../domain/dates.ts';
import { RoundLimits } from '../../domain/limits.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { SubmissionRecord } from '../db/repositories/round-work.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { deliverIn } from '../delivery/deliver.ts';
import { materialiseReminders, type UnitAddresses } from '../delivery/outbox.ts';
import { assertCanManageRounds, assertCanReadBoard, assertCanReadRounds } from '../policies/round.policy.ts';
import { presentRound, presentRoundDelivery, presentSubmission } from '../presenters/round.presenter.ts';
import { replaceCollectiveMembersIn } from './collective-units.ts';
import { setDefaultLadderIn } from './reminder-ladder.ts';
import { timeZoneIn } from './organisation-words.ts';
import { audit } from './audit-writer.ts';

export interface OpenRoundInput {
  label: string;
  periodStart: string | null;
  periodEnd: string | null;
  deadline: string | null;
  /** Default: every task of the plan. */
  taskIds?: number[] | undefined;
  note: string | null;
  requiresApproval: boolean;
}

export interface RoundServiceDeps {
  database: Database;
  now?: () => Date;
  /** Days before the deadline when an unsubmitted unit turns yellow. */
  warnDays?: number;
  /** The department's time zone (config DIAODU_TIME_ZONE): where a deadline day ends, and how times are written in messages. */
  timeZone?: string;
  /** Issue 16: where a unit's messages go beyond the app (the addresses slice); without it 催办 stays in the app. */
  addressesOfUnit?: UnitAddresses;
  /** DIAODU_PUBLIC_URL: links back into diaodu in those messages. */
  publicUrl?: string | null;
}

/** The one audit writer (decision 037), where the services that import it from here have always found it. */
export { audit };

/** The tasks chosen for a round about to open: those named (all of the plan's when none are), each refused unless it is the plan's. */
async function chosenTasks(repositories: Repositories, planId: number, taskIds: number[] | undefined): Promise<number[]> {
  const plan = await repositories.plans.findPlanById(planId);
  if (!plan) throw notFound('plan_not_found', `分工方案 ${planId} 不存在`, { planId });
  const planTaskIds = await repositories.roundWork.listTaskIdsOfPlan(planId);
  if (taskIds === undefined) return planTaskIds;
  const known = new Set(planTaskIds);
  const unknown = taskIds.filter((id) => !known.has(id));
  if (unknown.length > 0) await refuseUnknownTasks(repositories, planId, unknown);
  return taskIds;
}

/** Tasks chosen for a round that are not the plan's current ones: withdrawn or replaced meanwhile (020), or another plan's. */
async function refuseUnknownTasks(repositories: Repositories, planId: number, unknown: number[]): Promise<never> {
  const retired: number[] = [];
  for (const id of unknown) {
    const task = await repositories.planEdits.findTask(id);
    if (task && task.plan_id === planId && task.retired_at !== null) retired.push(id);
  }
  if (retired.length > 0)
    throw conflict('round_tasks_retired', `任务 ${retired.join('、')} 刚被撤销或修改为新版本，请刷新后重新选择任务`, { field: 'taskIds', taskIds: retired });
  throw invalid('round_tasks_invalid', `任务 ${unknown.join('、')} 不属于该分工方案`, { field: 'taskIds', taskIds: unknown });
}

export async function requireRound(repositories: Repositories, roundId: number): Promise<RoundRecord> {
  const round = await repositories.rounds.findRound(roundId);
  if (!round) throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
  return round;
}

/**
 * The life of a round: the office opens it over a plan's tasks (every responsible unit gets its
 * to-do list), may move its deadline, closes it (read-only from then on), and chases units
 * from the board. Imported rounds (from documents) are read-only from the start.
 */
export function createRoundService(deps: RoundServiceDeps) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();
  const warnDays = deps.warnDays ?? RoundLimits.warnDays.default;
  /** The configured clock; the organisation profile's time zone, when set, is the department's (zoneIn). */
  const configuredZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  const zoneIn = (repositories: Repositories) => timeZoneIn(repositories, configuredZone);

  return {
    /** The plan's rounds; voided ones (作废) only when asked for. */
    async listRounds(actor: Actor, planId: number, options: { includeVoid?: boolean } = {}): Promise<RoundView[]> {
      assertCanReadRounds(actor, '查看调度轮次');
      return inReadTransaction(database, async (repositories) => {
        const rounds = (await repositories.rounds.listRoundsOfPlan(planId)).filter((round) => options.includeVoid || round.status !== 'void');
        return Promise.all(rounds.map(async (round) => presentRound(round, await repositories.rounds.countTasksOfRound(round.id))));
      });
    },

    async getRound(actor: Actor, roundId: number): Promise<RoundView> {
      assertCanReadRounds(actor, '查看调度轮次');
      return inReadTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        return presentRound(round, await repositories.rounds.countTasksOfRound(roundId));
      });
    },

    async openRound(actor: Actor, planId: number, input: OpenRoundInput): Promise<RoundView> {
      const office = assertCanManageRounds(actor, '发起调度');
      const label = input.label.trim();
      if (!label) throw invalid('round_label_required', '请填写调度轮次名称，如“2017年第三季度”', { field: 'label' });
      assertRealDate(input.periodStart, 'periodStart', '调度期间开始日期');
      assertRealDate(input.periodEnd, 'periodEnd', '调度期间结束日期');
      assertRealDate(input.deadline, 'deadline', '截止时间');
      if (input.periodStart && input.periodEnd && input.periodStart > input.periodEnd)
        throw invalid('round_period_invalid', '调度期间的开始日期晚于结束日期', { field: 'periodEnd' });
      const at = now().toISOString();
      try {
        return await inTransaction(database, async (repositories) => {
          const plan = await repositories.plans.findPlanById(planId);
          if (!plan) throw notFound('plan_not_found', `分工方案 ${planId} 不存在`, { planId });
          if (plan.archived_at !== null) throw conflict('plan_archived', `分工方案“${plan.title}”已归档，不能发起新的调度`, { planId });
          const planTaskIds = await repositories.roundWork.listTaskIdsOfPlan(planId);
          const taskIds = input.taskIds ?? planTaskIds;
          const unknown = taskIds.filter((id) => !planTaskIds.includes(id));
          if (unknown.length > 0) await refuseUnknownTasks(repositories, planId, unknown);
          if (taskIds.length === 0) throw invalid('round_tasks_empty', '调度轮次至少要包含一项任务', { field: 'taskIds' });
          const ordered = planTaskIds.filter((id) => taskIds.includes(id));
          const timeZone = await zoneIn(repositories);
          const roundId = await repositories.rounds.insertRound({
            status: 'open',
            planId,
            label,
            periodStart: input.periodStart,
            periodEnd: input.periodEnd,
            deadline: normaliseDeadline(input.deadline, timeZone),
            note: input.note,
            requiresApproval: input.requiresApproval,
            openedBy: actorLabel(office),
            now: at,
          });
          await repositories.rounds.insertRoundTasks(ordered.map((taskId) => ({ round_id: roundId, task_id: taskId, warnings: '[]' })));
          // Collective units (各处(室) …) get no submission: their tasks go to the member units they stand for.
          const collectives = await repositories.roundWork.assignCollectiveTasks(roundId);
          const unitIds = await repositories.roundWork.listUnitIdsOfRound(roundId);
          await repositories.roundWork.insertSubmissions(roundId, unitIds, at);
          const deadlineText = input.deadline
            ? `，请于${formatDateTimeZh(normaliseDeadline(input.deadline, timeZone)!, timeZone)}前填报并提交`
            : '，请填报并提交';
          for (const unitId of unitIds)
            await repositories.roundWork.insertNotification({
              unitId,
              userId: null,
              roundId,
              kind: 'round_opened',
              message: `办公室发起了调度“${label}”${deadlineText}。`,
              now: at,
            });
          const opened = (await repositories.roundWork.listSubmissions(roundId)).map((s) => ({
            recipient: { unitId: s.unit_id },
            event: { kind: 'round_opened' as const, roundId, roundLabel: label, unitName: s.unit_name, deadline: normaliseDeadline(input.deadline, timeZone) },
          }));
          await deliverIn(repositories, deps, { occasion: `round_opened:${roundId}`, roundId, to: opened }, new Date(at));
          // Every round gets the default ladder; without a deadline nothing falls due until one is set.
          await setDefaultLadderIn(repositories, roundId, actorLabel(office), at, timeZone);
          await audit(repositories, actor, at, {
            action: 'round.open',
            objectType: 'round',
            objectId: roundId,
            detail: { planId, label, tasks: ordered.length, units: unitIds.length, ...(collectives.length ? { collectives } : {}) },
          });
          return presentRound((await repositories.rounds.findRound(roundId))!, ordered.length);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('round_label_taken', `该分工方案已有名为“${label}”的调度轮次`, { field: 'label', label });
        throw error;
      }
    },

    async setDeadline(actor: Actor, roundId: number, deadline: string | null): Promise<RoundView> {
      assertCanManageRounds(actor, '修改截止时间');
      assertRealDate(deadline, 'deadline', '截止时间');
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”不在进行中`, { roundId, status: round.status });
        const timeZone = await zoneIn(repositories);
        const normalised = normaliseDeadline(deadline, timeZone);
        await repositories.rounds.setRoundDeadline(roundId, normalised);
        // The ladder's due rows follow the deadline at once (the worker would, on its next tick).
        await materialiseReminders(repositories, roundId, new Date(at), timeZone);
        await audit(repositories, actor, at, {
          action: 'round.deadline',
          objectType: 'round',
          objectId: roundId,
          detail: { from: round.deadline, to: normalised },
        });
        return presentRound((await repositories.rounds.findRound(roundId))!, await repositories.rounds.countTasksOfRound(roundId));
      });
    },

    async closeRound(actor: Actor, roundId: number): Promise<RoundView> {
      assertCanManageRounds(actor, '结束调度');
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”不在进行中，无法结束`, { roundId, status: round.status });
        await repositories.rounds.setRoundStatus(roundId, 'closed', at);
        await audit(repositories, actor, at, { action: 'round.close', objectType: 'round', objectId: roundId });
        return presentRound((await repositories.rounds.findRound(roundId))!, await repositories.rounds.countTasksOfRound(roundId));
      });
    },

    /**
     * 作废: a round opened by mistake is voided while no unit has saved anything (no answer with
     * text, no submission past 未填报). It disappears from the rounds list and every to-do list;
     * the units are told. Once anything was saved it can only be closed.
     */
    async voidRound(actor: Actor, roundId: number, reason: string): Promise<RoundView> {
      const office = assertCanManageRounds(actor, '作废调度');
      const why = reason.trim();
      if (!why) throw invalid('void_reason_required', '请填写作废原因', { field: 'reason' });
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”不在进行中，不能作废`, { roundId, status: round.status });
        const work = await repositories.roundWork.countSavedWork(roundId);
        if (work.answers > 0 || work.submissions > 0)
          throw conflict('round_has_work', `调度轮次“${round.label}”已有单位保存了填报内容（${work.answers} 条推进情况），不能作废；如需停止请结束调度`, {
            roundId,
            ...work,
          });
        if ((await repositories.rounds.voidRound(roundId, { by: office.name, reason: why, now: at })) === 0)
          throw conflict('round_not_open', `调度轮次“${round.label}”刚被他人更改，请刷新后再试`, { roundId });
        for (const submission of await repositories.roundWork.listSubmissions(roundId))
          await repositories.roundWork.insertNotification({
            unitId: submission.unit_id,
            userId: null,
            roundId,
            kind: 'round_voided',
            message: `调度“${round.label}”已作废，无需填报。原因：${why}`,
            now: at,
          });
        await audit(repositories, actor, at, { action: 'round.void', objectType: 'round', objectId: roundId, detail: { label: round.label, reason: why } });
        return presentRound((await repositories.rounds.findRound(roundId))!, await repositories.rounds.countTasksOfRound(roundId));
      });
    },

    /**
     * 延期: one unit's own deadline (null: back to the round's). It must lie ahead; the board
     * and the submit check use it instead of the round's.
     */
    async extendUnitDeadline(actor: Actor, roundId: number, unitId: number, deadline: string | null) {
      assertCanManageRounds(actor, '延长单位截止时间');
      const current = now();
      const at = current.toISOString();
      assertRealDate(deadline, 'deadline', '截止时间');
      return inTransaction(database, async (repositories) => {
        const timeZone = await zoneIn(repositories);
        const normalised = normaliseDeadline(deadline, timeZone);
        if (normalised !== null && deadlineTime(normalised) <= current.getTime())
          throw invalid('deadline_in_past', `延长后的截止时间 ${formatDateTimeZh(normalised, timeZone)} 已过，请选择以后的时间`, { field: 'deadline' });
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”不在进行中`, { roundId, status: round.status });
        const submission = await repositories.roundWork.findSubmission(roundId, unitId);
        if (!submission) throw notFound('unit_not_in_round', '该单位在本轮调度中没有任务', { roundId, unitId });
        await repositories.roundWork.setSubmissionDeadline(submission.id, normalised, at);
        const effective = normalised ?? round.deadline;
        await repositories.roundWork.insertNotification({
          unitId,
          userId: null,
          roundId,
          kind: 'deadline_extended',
          message:
            normalised === null
              ? `调度“${round.label}”中本单位的截止时间恢复为本轮统一截止时间${round.deadline ? ` ${formatDateTimeZh(round.deadline, timeZone)}` : ''}。`
              : `调度“${round.label}”中本单位的截止时间已延长至 ${formatDateTimeZh(normalised, timeZone)}。`,
          now: at,
        });
        await audit(repositories, actor, at, {
          action: 'round.extend',
          objectType: 'unit_submission',
          objectId: submission.id,
          detail: { roundId, unitId, from: submission.deadline ?? null, to: normalised },
        });
        const updated = (await repositories.roundWork.findSubmission(roundId, unitId))!;
        return { ...presentSubmission(updated), effectiveDeadline: effective };
      });
    },

    /**
     * Before opening a round that requires approval: the units of these tasks of the plan (all
     * when none are named) that have no 处室负责人 account, so nobody could approve for them.
     */
    async unitsWithoutHead(actor: Actor, planId: number, taskIds: number[] | undefined): Promise<{ id: number; name: string }[]> {
      assertCanManageRounds(actor, '查看缺少处室负责人的单位');
      return inReadTransaction(database, async (repositories) => repositories.roundWork.listUnitsWithoutHead(await chosenTasks(repositories, planId, taskIds)));
    },

    /** The collective units a plan's tasks name (all when none are named), with the member units each stands for. */
    async collectiveUnits(actor: Actor, planId: number, taskIds?: number[]): Promise<CollectiveUnitView[]> {
      assertCanManageRounds(actor, '查看集体单位');
      return inReadTransaction(database, async (repositories) =>
        (await repositories.roundWork.listCollectiveUnitsOfTasks(await chosenTasks(repositories, planId, taskIds))).map(presentCollective),
      );
    },

    /**
     * The office says which units a collective unit stands for (none: the office answers it
     * itself). Used by rounds opened from now on; a running round keeps what it opened with.
     */
    async setCollectiveMembers(actor: Actor, unitId: number, memberIds: number[]): Promise<CollectiveUnitView> {
      assertCanManageRounds(actor, '设置集体单位代表的单位');
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const { unit, ids } = await replaceCollectiveMembersIn(repositories, unitId, memberIds);
        await audit(repositories, actor, at, { action: 'unit.collective', objectType: 'unit', objectId: unitId, detail: { name: unit.name, members: ids } });
        const [view] = await repositories.roundWork.listCollectiveUnitsOfTasks(null).then((all) => all.filter((u) => u.id === unitId));
        return presentCollective(view!);
      });
    },

    /** Who to chase: every unit's state with a traffic light, its phone and how far it got. */
    async board(actor: Actor, roundId: number): Promise<BoardView> {
      assertCanReadBoard(actor, '查看催办看板');
      const current = now();
      return inReadTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        const [submissions, tasks, answered, reminders, collectives] = await Promise.all([
          repositories.roundWork.listSubmissions(roundId),
          repositories.roundWork.countTasksByUnit(roundId),
          repositories.roundWork.countAnsweredByUnit(roundId),
          repositories.roundWork.lastReminderByUnit(roundId),
          collectiveUnitsOfRound(repositories, roundId),
        ]);
        const rows = submissions.map((submission) => ({
          ...presentSubmission(submission),
          light: lightOf(submission, round, current, warnDays),
          phone: submission.unit_phone,
          tasks: tasks.get(submission.unit_id) ?? 0,
          answered: answered.get(submission.unit_id) ?? 0,
          lastReminderAt: reminders.get(submission.unit_id) ?? null,
        }));
        const order: Record<TrafficLight, number> = { red: 0, yellow: 1, grey: 2, green: 3 };
        rows.sort((a, b) => order[a.light] - order[b.light] || a.unitName.localeCompare(b.unitName, 'zh-CN'));
        return { round: presentRound(round, await repositories.rounds.countTasksOfRound(roundId)), now: current.toISOString(), rows, collectives };
      });
    },

    /** The board's delivery beyond the app (issue 16): per unit, the last message's state on each channel. Office only. */
    async delivery(actor: Actor, roundId: number): Promise<RoundDeliveryView> {
      assertCanManageRounds(actor, '查看送达情况');
      return inReadTransaction(database, async (repositories) => {
        await requireRound(repositories, roundId);
        const rows = await repositories.outbox.listRoundDelivery(roundId);
        const names = new Map<number, string>();
        for (const unitId of new Set(rows.map((row) => row.unitId))) names.set(unitId, (await repositories.roundWork.findUnit(unitId))?.name ?? '');
        return presentRoundDelivery(roundId, rows, names);
      });
    },

    /**
     * 催办: a reminder recorded and shown in the app to the unit's accounts, and (issue 16) put in
     * the outbox, in the same transaction, for each address the unit has (e-mail, group robot).
     */
    async remind(actor: Actor, roundId: number, unitId: number, message: string | null): Promise<{ reminderId: number; sentAt: string }> {
      const office = assertCanManageRounds(actor, '催办');
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”不在进行中`, { roundId });
        const submission = await repositories.roundWork.findSubmission(roundId, unitId);
        if (!submission) throw notFound('unit_not_in_round', `单位 ${unitId} 不在本轮调度中`, { roundId, unitId });
        const timeZone = await zoneIn(repositories);
        const text =
          message?.trim() || `请于${round.deadline ? ` ${formatDateTimeZh(round.deadline, timeZone)} ` : ''}前完成“${round.label}”推进情况填报并提交。`;
        const reminderId = await repositories.roundWork.insertReminder({ roundId, unitId, message: text, sentBy: actorLabel(office), now: at });
        await repositories.roundWork.insertNotification({ unitId, userId: null, roundId, kind: 'reminder', message: text, now: at });
        const unitName = (await repositories.roundWork.findUnit(unitId))?.name ?? '';
        const { channels } = await deliverIn(
          repositories,
          deps,
          {
            occasion: `urge:${reminderId}`,
            roundId,
            to: [{ recipient: { unitId }, event: { kind: 'reminder', roundId, roundLabel: round.label, unitName, text } }],
          },
          new Date(at),
        );
        await audit(repositories, actor, at, {
          action: 'round.remind',
          objectType: 'unit_submission',
          objectId: submission.id,
          detail: channels.length > 0 ? { roundId, unitId, channels } : { roundId, unitId },
        });
        return { reminderId, sentAt: at };
      });
    },

    async notifications(actor: Actor) {
      if (actor.kind !== 'user') return [];
      return inReadTransaction(database, async (repositories) => {
        // Who sees which row follows from its kind (notification-kinds.ts); read state is the actor's own.
        const rows = await repositories.notifications.listFor({ userId: actor.userId, role: actor.role, unitId: actor.unitId });
        return rows.map((row) => ({ id: row.id, roundId: row.round_id, kind: row.kind, message: row.message, createdAt: row.created_at, readAt: row.read_at }));
      });
    },
  };
}

/**
 * A date or timestamp naming a day that exists (2017-02-30 does not): the routes refuse such input
 * already; this keeps the CLI and any other caller from storing one as a deadline (which would
 * then never pass).
 */
function assertRealDate(value: string | null | undefined, field: string, label: string): void {
  if (value === null || value === undefined) return;
  if (!isCalendarDate(value.slice(0, 10)) || Number.isNaN(Date.parse(normaliseDeadline(value)!)))
    throw invalid('date_invalid', `${label}“${value}”不是有效日期`, { field });
}

function presentCollective(unit: { id: number; name: string; members: { id: number; name: string }[] }): CollectiveUnitView {
  return { unitId: unit.id, unitName: unit.name, members: unit.members, answeredBy: unit.members.length > 0 ? 'members' : 'office' };
}

/** The collective units a round's tasks name and who answers each, as fixed when it opened. */
async function collectiveUnitsOfRound(repositories: Repositories, roundId: number): Promise<CollectiveUnitView[]> {
  const [named, assigned] = await Promise.all([
    repositories.roundWork.listCollectiveUnitsOfRound(roundId),
    repositories.roundWork.listCollectiveAssignments(roundId),
  ]);
  return named.map((unit) => {
    const members = assigned.filter((a) => a.viaUnitId === unit.id).map((a) => ({ id: a.unitId, name: a.unitName }));
    return { unitId: unit.id, unitName: unit.name, members, answeredBy: members.length > 0 ? 'members' : 'office' };
  });
}

/**
 * 亮灯: green once submitted; red when the deadline has passed without a submission; yellow
 * when it is within `warnDays`; grey otherwise (nothing to chase yet, or no deadline set).
 */
/** A unit's light on the board of `round` (and in the province's roll-up, which counts them). */
export function lightOf(
  submission: Pick<SubmissionRecord, 'state' | 'deadline'>,
  round: Pick<RoundRecord, 'deadline'>,
  now: Date,
  warnDays: number,
): TrafficLight {
  // A unit whose deadline the office extended is chased against its own.
  return trafficLight(submission.state, submission.deadline ?? round.deadline, now, warnDays);
}

export function trafficLight(state: string, deadline: string | null, now: Date, warnDays: number): TrafficLight {
  if (state === 'submitted' || state === 'approved' || state === 'accepted') return 'green';
  if (!deadline) return 'grey';
  const due = deadlineTime(deadline);
  if (now.getTime() > due) return 'red';
  if (due - now.getTime() <= warnDays * 24 * 3600 * 1000) return 'yellow';
  return 'grey';
}

/**
 * A deadline given as a date only (`2017-10-10`) means the end of that day in the department's
 * time zone (`2017-10-10T23:59:59+08:00` in Asia/Shanghai); stored so, every reader agrees.
 */
export function normaliseDeadline(deadline: string | null, timeZone: string = DEFAULT_TIME_ZONE): string | null {
  if (deadline === null || !/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return deadline;
  // The zone's offset at that moment (summer time included): guessed at the UTC instant, then
  // taken again at the instant the guess names, which is right unless the day ends in a change.
  const guess = utcOffsetOf(timeZone, new Date(`${deadline}T23:59:59Z`));
  return `${deadline}T23:59:59${utcOffsetOf(timeZone, new Date(`${deadline}T23:59:59${guess}`))}`;
}

export function deadlineTime(deadline: string): number {
  return new Date(normaliseDeadline(deadline)!).getTime();
}

export type RoundService = ReturnType<typeof createRoundService>;
