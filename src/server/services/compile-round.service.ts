import type { Actor } from '../../domain/actor.ts';
import { compileTable, type CompiledTable } from '../../domain/compiled-table.ts';
import type { Notice, PlanDocument } from '../../domain/plan-document.ts';
import { notFound } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { buildRoundDocument, loadPlanSnapshot } from './plan-snapshot.ts';
import { requireRound } from './round.service.ts';

/**
 * Which answers of a round run in the app go into the official document: those of units whose
 * submission the office has in hand — submitted, approved by the unit head, or accepted — and
 * those the office wrote itself for a collective unit no member unit answers. The office
 * compiles after its review, so "submitted but not yet accepted" counts too; drafts, returned and
 * untouched answers never do. An imported round (no submissions at all) counts every entry it brought.
 */
export const COMPILED_SUBMISSION_STATES: ReadonlySet<string> = new Set(['submitted', 'approved', 'accepted']);

export type CompiledRound = { notice: Notice; table: CompiledTable; fileBaseName: string };

/** `川环办发〔2017〕102号` (one definition, in the domain: the web form writes numbers too). */
export { formatDocNumber } from '../../domain/notice.ts';

/** A file name without characters Windows, macOS or Linux refuse, trimmed to a safe length. */
export function sanitizeFileBaseName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  return [...cleaned].slice(0, 120).join('') || '通报';
}

/** The notice a new round gets: the Q2 2017 notice's wording with the round and plan filled in. */
export function defaultNotice(document: Pick<PlanDocument, 'plan' | 'round'>): Notice {
  const planDocNumber = document.plan.docNumber ?? '';
  const planTitle = document.plan.title;
  return {
    issuingOffice: '四川省环境保护厅办公室',
    docNumber: null,
    title: `四川省环境保护厅办公室关于《${planTitle}》${document.round.label}工作推进情况的通报`,
    recipients: '厅机关各处（室）、直属各单位：',
    body: [
      `按照${planTitle ? `《${planTitle}》` : '厅内分工方案'}${planDocNumber ? `（${planDocNumber}）` : ''}要求，现将${document.round.label}工作推进情况进行通报（见附件）。请各牵头处（室）、直属单位继续按照确定的目标任务，加强组织和协调，加快推进落实相关工作。`,
    ],
    // The writers put 附件： in front themselves (as the seed's reader takes it off).
    attachment: `《${planTitle}》${document.round.label}工作推进情况调度表`,
    issuer: '四川省环境保护厅办公室',
    date: null,
    contact: { unit: null, name: null, phone: null },
    cc: [],
    printed: { by: '四川省环境保护厅办公室', date: null },
  };
}

/** `now` is accepted like every service's clock; compiling reads only. */
export function createCompileRoundService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  async function compileRound(actor: Actor, roundId: number): Promise<CompiledRound> {
    // The office and leaders compile; units (reporters, heads) and the 三员 do not.
    assertCanReadBoard(actor, '汇编调度表');
    return inReadTransaction(database, (repositories) => compileRoundIn(repositories, roundId));
  }

  return { compileRound };
}

/**
 * The compiling itself, inside the caller's read transaction and after its policy check: the
 * export service compiles for the CLI's operator too, whom the print view's policy does not know.
 */
export async function compileRoundIn(repositories: Repositories, roundId: number): Promise<CompiledRound> {
  return (await readRoundIn(repositories, roundId)).compiled;
}

/** The round as diaodu.plan/1 and as the office issues it, from one reading (the json export wants both). */
export async function readRoundIn(repositories: Repositories, roundId: number): Promise<{ document: PlanDocument; compiled: CompiledRound }> {
  const round = await requireRound(repositories, roundId);
  const plan = await repositories.plans.findPlanById(round.plan_id);
  if (!plan) throw notFound('plan_not_found', `调度轮次 ${roundId} 的分工方案不存在`, { roundId });
  const snapshot = await loadPlanSnapshot(repositories, plan);
  const document = await buildRoundDocument(repositories, snapshot, round);
  const submissions = await repositories.roundWork.listSubmissions(round.id);
  const official = submissions.length === 0 ? document : onlyCounted(document, submissions, await collectivesAnsweredByOffice(repositories, round.id));
  const notice = document.notice ?? defaultNotice(document);
  const table = compileTable(official);
  const fileBaseName = sanitizeFileBaseName(`${notice.docNumber ? `${notice.docNumber}-` : ''}${round.label}工作推进情况通报`);
  return { document, compiled: { notice, table, fileBaseName } };
}

export type CompileRoundService = ReturnType<typeof createCompileRoundService>;

/**
 * The collective units of a round (各处(室) …) that no member unit answers: the office writes
 * their answers itself, so what it saved is in hand without a submission (decision 020, amendment).
 */
export async function collectivesAnsweredByOffice(repositories: Repositories, roundId: number): Promise<string[]> {
  const [named, assigned] = await Promise.all([repositories.roundWork.listCollectiveUnitsOfRound(roundId), repositories.roundWork.listCollectiveAssignments(roundId)]);
  const mapped = new Set(assigned.map((a) => a.viaUnitId));
  return named.filter((unit) => !mapped.has(unit.id)).map((unit) => unit.name);
}

function onlyCounted(document: PlanDocument, submissions: readonly { unit_name: string; state: string }[], answeredByOffice: readonly string[]): PlanDocument {
  const counted = new Set([...submissions.filter((s) => COMPILED_SUBMISSION_STATES.has(s.state)).map((s) => s.unit_name), ...answeredByOffice]);
  return {
    ...document,
    chapters: document.chapters.map((chapter) => ({
      ...chapter,
      sections: chapter.sections.map((section) => ({
        ...section,
        tasks: section.tasks.map((task) => ({ ...task, progress: task.progress.filter((entry) => entry.unit !== null && counted.has(entry.unit)) })),
      })),
    })),
  };
}
