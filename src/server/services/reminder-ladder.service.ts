import { type Actor, actorLabel } from '../../domain/actor.ts';
import { type ReminderLadderInput, type ReminderLadderView } from '../../domain/api/round-view.ts';
import { DEFAULT_TIME_ZONE } from '../../domain/dates.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { canonicalRung, ReminderLimits, rungLabel, rungProblem } from '../../domain/reminder-rungs.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanManageRounds } from '../policies/round.policy.ts';
import { presentReminderLadder } from '../presenters/reminder-ladder.presenter.ts';
import { audit } from './round.service.ts';
import { timeZoneIn } from './organisation-words.ts';
import { displayNameOf } from './people.ts';
import { replaceLadderIn, type LadderStep } from './reminder-ladder.ts';

/** The rungs as typed, refused with the rung and its place named (第 3 条提醒“before:99d”无法识别：…). */
function checkedSteps(input: ReminderLadderInput): LadderStep[] {
  if (input.rungs.length > ReminderLimits.rungs)
    throw invalid('reminder_ladder_too_long', `催办提醒最多 ${ReminderLimits.rungs} 条，现有 ${input.rungs.length} 条`, {
      field: 'rungs',
      count: input.rungs.length,
    });
  const seen = new Map<string, number>();
  return input.rungs.map((typed, index) => {
    const position = index + 1;
    const typedRung = typed.rung.trim();
    const problem = rungProblem(typedRung);
    if (problem)
      throw invalid('reminder_rung_invalid', `第 ${position} 条提醒“${typedRung}”无法识别：${problem}`, {
        field: `rungs.${index}.rung`,
        position,
        rung: typedRung,
      });
    const rung = canonicalRung(typedRung);
    const first = seen.get(rung);
    if (first !== undefined)
      throw invalid('reminder_rung_duplicate', `第 ${position} 条提醒“${rungLabel(rung)}”与第 ${first} 条重复`, {
        field: `rungs.${index}.rung`,
        position,
        rung,
      });
    seen.set(rung, position);
    return { rung, quietHours: !(typed.allowQuietHours ?? false), weekends: typed.allowWeekends ?? false };
  });
}

export type ReminderLadderServiceDeps = { database: Database; now?: () => Date; timeZone?: string };

/**
 * 催办提醒 (issue 16): the office reads and replaces each round's reminder ladder; the delivery
 * worker sends from the due rows it leads to (decision 035).
 */
export function createReminderLadderService(deps: ReminderLadderServiceDeps) {
  const { database } = deps;
  const clock = deps.now ?? (() => new Date());
  const configuredZone = deps.timeZone ?? DEFAULT_TIME_ZONE;

  async function requireRound(repositories: Repositories, roundId: number) {
    const round = await repositories.rounds.findRound(roundId);
    if (!round) throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
    return round;
  }

  async function viewIn(repositories: Repositories, roundId: number): Promise<ReminderLadderView> {
    const rows = await repositories.outbox.listLadder(roundId);
    // Who set it last: the last 设置催办提醒 in the audit log, by the name written with it (decision 037;
    // rows before it carry only actor_name); before any, whoever opened the round with the default.
    const changes = await repositories.audit.listAuditEvents({ objectType: 'round', objectId: String(roundId), action: 'round.reminders' });
    const last = changes.at(-1);
    const newest = rows.reduce<(typeof rows)[number] | null>((a, b) => (a === null || b.set_at > a.set_at ? b : a), null);
    const setter = last
      ? { by: last.actor_display_name ?? last.actor_name, at: last.at }
      : newest
        ? { by: await displayNameOf(repositories, newest.set_by), at: newest.set_at }
        : null;
    return presentReminderLadder(roundId, rows, setter, await repositories.outbox.pendingSummary(roundId));
  }

  return {
    async get(actor: Actor, roundId: number): Promise<ReminderLadderView> {
      assertCanManageRounds(actor, '查看催办提醒');
      return inReadTransaction(database, async (repositories) => {
        await requireRound(repositories, roundId);
        return viewIn(repositories, roundId);
      });
    },

    /** Replaces the whole ladder (an empty list stops the reminders); audited; due rows follow at once. */
    async set(actor: Actor, roundId: number, input: ReminderLadderInput): Promise<ReminderLadderView> {
      assertCanManageRounds(actor, '设置催办提醒');
      const steps = checkedSteps(input);
      const at = clock().toISOString();
      return inTransaction(database, async (repositories) => {
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open')
          throw conflict('round_not_open', `调度轮次“${round.label}”不在进行中，不能设置催办提醒`, { roundId, status: round.status });
        const before = await repositories.outbox.listLadder(roundId);
        await replaceLadderIn(repositories, roundId, steps, actorLabel(actor), at, await timeZoneIn(repositories, configuredZone));
        await audit(repositories, actor, at, {
          action: 'round.reminders',
          objectType: 'round',
          objectId: roundId,
          detail: {
            from: before.map((row) => describe(row.rung, row.quiet_hours === 0, row.weekends === 1)),
            to: steps.map((s) => describe(s.rung, !s.quietHours, s.weekends)),
          },
        });
        return viewIn(repositories, roundId);
      });
    },
  };
}

/** A rung in the audit row: its label and what it may do. */
function describe(rung: string, quietHours: boolean, weekends: boolean): string {
  return `${rungLabel(rung)}${quietHours ? '（含夜间）' : ''}${weekends ? '（含周末）' : ''}`;
}

export type ReminderLadderService = ReturnType<typeof createReminderLadderService>;
