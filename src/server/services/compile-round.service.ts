import type { Actor } from '../../domain/actor.ts';
import { compileTable, type CompiledTable, type MarkedEntry } from '../../domain/compiled-table.ts';
import { DEFAULT_TABLE_OPTIONS, type TableOptions } from '../../domain/export-options.ts';
import type { Notice, PlanDocument, ProgressEntry } from '../../domain/plan-document.ts';
import { notFound } from '../../domain/errors.ts';
import { selfWord, unitPhrase, wordsOf, type OrganisationProfile } from '../../domain/organisation-profile.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { StoredProgressEntry } from '../db/repositories/progress.repository.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { buildRoundDocumentWithEntries, loadPlanSnapshot } from './plan-snapshot.ts';
import { requireRound } from './round.service.ts';

/**
 * Which answers of a round run in the app go into its document (decision 024). The official
 * document holds only the answers the office accepted (review per answer, decision 019), and
 * those the office wrote itself for a collective unit no member unit answers. A draft for review
 * (征求意见稿) also shows the answers the office has in hand but not yet accepted — of units whose
 * submission is submitted, approved by the unit head, or accepted — each marked 【未审核】; an answer
 * returned to its unit, a draft and an untouched answer never show. An imported round (no
 * submissions at all) counts every entry it brought, and is official.
 */
export const COMPILED_SUBMISSION_STATES: ReadonlySet<string> = new Set(['submitted', 'approved', 'accepted']);

export type CompiledRound = {
  notice: Notice;
  table: CompiledTable;
  fileBaseName: string;
  /** A draft (征求意见稿): the writers and the print view mark the document so. */
  draft: boolean;
  /** An imported round: exported as its document was (the options on 未报送 and 未审核 do not apply). */
  imported: boolean;
};

/** `某环办发〔2017〕102号` (one definition, in the domain: the web form writes numbers too). */
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

/**
 * The notice a new round gets, in the organisation profile's words (decision 027): its office
 * heads, signs and prints it, its units are addressed. With no profile set it is neutral — no
 * heading, no 落款 — for the office to fill in (the notice page says to set the profile).
 */
export function defaultNotice(document: Pick<PlanDocument, 'plan' | 'round'>, profile: OrganisationProfile | null): Notice {
  const planDocNumber = document.plan.docNumber ?? '';
  const planTitle = document.plan.title;
  const office = profile?.officeName ?? null;
  const units = profile ? unitPhrase(profile.unitWords) : '';
  const self = profile ? selfWord(profile) : '';
  return {
    issuingOffice: profile?.issuerMark ?? null,
    docNumber: null,
    title: `${office ?? ''}关于《${planTitle}》${document.round.label}工作推进情况的通报`,
    recipients: profile ? `${self}机关各${units}、直属各单位：` : '各有关单位：',
    body: [
      `按照${planTitle ? `《${planTitle}》` : `${self}内分工方案`}${planDocNumber ? `（${planDocNumber}）` : ''}要求，现将${document.round.label}工作推进情况进行通报（见附件）。请各牵头${profile ? `${units}、直属单位` : '单位'}继续按照确定的目标任务，加强组织和协调，加快推进落实相关工作。`,
    ],
    // The writers put 附件： in front themselves (as the seed's reader takes it off).
    attachment: `《${planTitle}》${document.round.label}工作推进情况调度表`,
    issuer: office,
    date: null,
    contact: { unit: null, name: null, phone: null },
    cc: [],
    printed: { by: office, date: null },
  };
}

/** `now` is accepted like every service's clock; compiling reads only. */
export function createCompileRoundService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  async function compileRound(actor: Actor, roundId: number, options: Partial<TableOptions> = {}): Promise<CompiledRound> {
    // The office and leaders compile; units (reporters, heads) and the 三员 do not.
    assertCanReadBoard(actor, '汇编调度表');
    return inReadTransaction(database, (repositories) => compileRoundIn(repositories, roundId, options));
  }

  return { compileRound };
}

/**
 * The compiling itself, inside the caller's read transaction and after its policy check: the
 * export service compiles for the CLI's operator too, whom the print view's policy does not know.
 */
export async function compileRoundIn(repositories: Repositories, roundId: number, options: Partial<TableOptions> = {}): Promise<CompiledRound> {
  return (await readRoundIn(repositories, roundId, options)).compiled;
}

/** The round as diaodu.plan/1 and as the office issues it, from one reading (the json export wants both). */
export async function readRoundIn(
  repositories: Repositories,
  roundId: number,
  options: Partial<TableOptions> = {},
): Promise<{ document: PlanDocument; compiled: CompiledRound; withDefaultMarks: () => CompiledRound }> {
  const chosen: TableOptions = { ...DEFAULT_TABLE_OPTIONS, ...options };
  const round = await requireRound(repositories, roundId);
  const plan = await repositories.plans.findPlanById(round.plan_id);
  if (!plan) throw notFound('plan_not_found', `调度轮次 ${roundId} 的分工方案不存在`, { roundId });
  const snapshot = await loadPlanSnapshot(repositories, plan);
  const { document, stored } = await buildRoundDocumentWithEntries(repositories, snapshot, round);
  const submissions = await repositories.roundWork.listSubmissions(round.id);
  // An imported round is an issued document: exported as it was, blank where it was blank, never a draft.
  const imported = submissions.length === 0;
  const counted = imported ? document : onlyCounted(document, stored, submissions, await collectivesAnsweredByOffice(repositories, round.id), chosen.version);
  const profile = (await repositories.organisationProfile.findProfile())?.profile ?? null;
  const notice = document.notice ?? defaultNotice(document, profile);
  const words = wordsOf(profile);
  const compiledWith = (marks: Pick<TableOptions, 'unanswered' | 'statusMarks'>): CompiledRound => ({
    notice,
    table: compileTable(counted, { unanswered: imported ? 'blank' : marks.unanswered, statusMarks: marks.statusMarks, words }),
    fileBaseName: sanitizeFileBaseName(`${notice.docNumber ? `${notice.docNumber}-` : ''}${round.label}工作推进情况通报`),
    draft: !imported && chosen.version === 'draft',
    imported,
  });
  // The same answers laid out with the default marks (what a signature covers, decision 025), compiled only when asked for.
  return { document, compiled: compiledWith(chosen), withDefaultMarks: () => compiledWith(DEFAULT_TABLE_OPTIONS) };
}

export type CompileRoundService = ReturnType<typeof createCompileRoundService>;

/**
 * The collective units of a round (各处(室) …) that no member unit answers: the office writes
 * their answers itself, so what it saved is in hand without a submission (decision 020, amendment).
 */
async function collectivesAnsweredByOffice(repositories: Repositories, roundId: number): Promise<string[]> {
  const [named, assigned] = await Promise.all([
    repositories.roundWork.listCollectiveUnitsOfRound(roundId),
    repositories.roundWork.listCollectiveAssignments(roundId),
  ]);
  const mapped = new Set(assigned.map((a) => a.viaUnitId));
  return named.filter((unit) => !mapped.has(unit.id)).map((unit) => unit.name);
}

/**
 * The document with only the answers the version shows, each carrying its status and reason
 * (and, in a draft, 未审核 where the office has not accepted it yet) for the table's marks.
 */
function onlyCounted(
  document: PlanDocument,
  stored: ReadonlyMap<ProgressEntry, StoredProgressEntry>,
  submissions: readonly { unit_name: string; state: string }[],
  answeredByOffice: readonly string[],
  version: TableOptions['version'],
): PlanDocument {
  const inHand = new Set(submissions.filter((s) => COMPILED_SUBMISSION_STATES.has(s.state)).map((s) => s.unit_name));
  const byOffice = new Set(answeredByOffice);
  const shown = (entry: ProgressEntry): MarkedEntry | null => {
    if (entry.unit === null) return null;
    const row = stored.get(entry);
    const marks = { status: row?.status ?? null, reason: row?.reason ?? null };
    if (byOffice.has(entry.unit) || row?.reviewState === 'accepted') return { ...entry, ...marks };
    if (version === 'draft' && inHand.has(entry.unit) && row?.reviewState !== 'returned') return { ...entry, ...marks, unreviewed: true };
    return null;
  };
  return {
    ...document,
    chapters: document.chapters.map((chapter) => ({
      ...chapter,
      sections: chapter.sections.map((section) => ({
        ...section,
        tasks: section.tasks.map((task) => ({ ...task, progress: task.progress.map(shown).filter((entry): entry is MarkedEntry => entry !== null) })),
      })),
    })),
  };
}
