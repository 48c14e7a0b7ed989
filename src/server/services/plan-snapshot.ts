import { PLAN_FORMAT, type PlanChapter, type PlanDocument, type PlanTask, type ProgressEntry } from '../../domain/plan-document.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { PlanRows } from '../db/repositories/plan.repository.ts';
import type { StoredProgressEntry } from '../db/repositories/progress.repository.ts';
import { noticeOfRow, storedStringArray } from '../db/repositories/notice.repository.ts';
import type { PlanRow, RoundRow } from '../db/schema.ts';
import { groupBy } from '../../domain/group-by.ts';

/**
 * Rebuilding `diaodu.plan/1` from stored rows. Import compares against it and export returns
 * it, so both see the same thing. Every object is built in the schema's field order, so that
 * importing a document and exporting it gives the same JSON text.
 */

/** How a re-import recognises a plan: its document number when it has one, else its title. */
export function planIdentityKey(plan: { title: string; docNumber: string | null }): string {
  return plan.docNumber !== null ? `doc:${plan.docNumber}` : `title:${plan.title}`;
}

type TaskSlot = { id: number; task: PlanTask };
type SectionSlot = { number: number; title: string; tasks: TaskSlot[] };
type ChapterSlot = { number: number; title: string; sections: SectionSlot[] };

/** A stored plan's structure: every task with its owners; progress and warnings left empty. */
export type PlanSnapshot = {
  plan: PlanRow;
  chapters: ChapterSlot[];
  /** Task ids in plan order. */
  taskIds: number[];
};

/**
 * `which` (020): `all` (the default) holds every version and withdrawn part, so a round's document
 * finds the rows it covers; `current` is the plan as it stands.
 */
export async function loadPlanSnapshot(repositories: Repositories, plan: PlanRow, which: PlanRows = 'all'): Promise<PlanSnapshot> {
  const { plans } = repositories;
  const [chapterRows, sectionRows, taskRows, leaderRows, unitRows] = await Promise.all([
    plans.listChaptersOfPlan(plan.id, which),
    plans.listSectionsOfPlan(plan.id, which),
    plans.listTasksOfPlan(plan.id, which),
    plans.listTaskLeadersOfPlan(plan.id, which),
    plans.listTaskUnitsOfPlan(plan.id, which),
  ]);

  const leadersOf = groupBy(leaderRows, (row) => row.taskId);
  const unitsOf = groupBy(unitRows, (row) => row.taskId);
  const chapters = new Map<number, ChapterSlot>(chapterRows.map((row) => [row.id, { number: row.number, title: row.title, sections: [] }]));
  const sections = new Map<number, SectionSlot>();
  for (const row of sectionRows) {
    const section: SectionSlot = { number: row.number, title: row.title, tasks: [] };
    sections.set(row.id, section);
    chapters.get(row.chapterId)?.sections.push(section);
  }
  for (const row of taskRows) {
    const section = sections.get(row.sectionId);
    if (!section) throw new Error(`task ${row.id} belongs to no section of plan ${plan.id}`);
    section.tasks.push({
      id: row.id,
      task: {
        text: row.text,
        leadDepartment: row.leadDepartment,
        leaders: (leadersOf.get(row.id) ?? []).map((leader) => leader.name),
        units: (unitsOf.get(row.id) ?? []).map((unit) => ({ name: unit.name, role: unit.role })),
        ...(row.due === null ? {} : { due: row.due }),
        progress: [],
        warnings: [],
      },
    });
  }
  return { plan, chapters: [...chapters.values()], taskIds: taskRows.map((row) => row.id) };
}

/** The snapshot as document chapters, every task included, with no progress. */
export function chaptersOfSnapshot(snapshot: PlanSnapshot): PlanChapter[] {
  return snapshot.chapters.map((chapter) => ({
    number: chapter.number,
    title: chapter.title,
    sections: chapter.sections.map((section) => ({
      number: section.number,
      title: section.title,
      tasks: section.tasks.map((slot) => slot.task),
    })),
  }));
}

/** The document of one round: the plan's structure, the round's tasks with their progress, its notice. */
export async function buildRoundDocument(repositories: Repositories, snapshot: PlanSnapshot, round: RoundRow): Promise<PlanDocument> {
  return (await buildRoundDocumentWithEntries(repositories, snapshot, round)).document;
}

/**
 * The same document, and for each of its entries the stored row it came from (status, reason,
 * review): what the compiled table marks, which diaodu.plan/1 does not carry.
 */
export async function buildRoundDocumentWithEntries(
  repositories: Repositories,
  snapshot: PlanSnapshot,
  round: RoundRow,
): Promise<{ document: PlanDocument; stored: Map<ProgressEntry, StoredProgressEntry> }> {
  const stored = new Map<ProgressEntry, StoredProgressEntry>();
  const [roundTasks, progressRows, aliasRows, noticeRow] = await Promise.all([
    repositories.rounds.listRoundTasks(round.id),
    repositories.progress.listProgressOfRound(round.id),
    repositories.rounds.listRoundUnitAliases(round.id),
    repositories.notices.findNoticeOfRound(round.id),
  ]);
  const warningsOf = new Map(roundTasks.map((row) => [row.taskId, storedStringArray(row.warnings, 'round_tasks.warnings')]));
  const progressOf = groupBy(progressRows, (row) => row.taskId);

  const chapters: PlanChapter[] = snapshot.chapters.map((chapter) => ({
    number: chapter.number,
    title: chapter.title,
    sections: chapter.sections.map((section) => ({
      number: section.number,
      title: section.title,
      tasks: section.tasks
        .filter((slot) => warningsOf.has(slot.id))
        .map((slot) => ({
          text: slot.task.text,
          leadDepartment: slot.task.leadDepartment,
          leaders: slot.task.leaders,
          units: slot.task.units,
          ...(slot.task.due === undefined ? {} : { due: slot.task.due }),
          progress: (progressOf.get(slot.id) ?? []).map((row): ProgressEntry => {
            const entry: ProgressEntry =
              row.attribution === null ? { unit: row.unit, text: row.text } : { unit: row.unit, text: row.text, attribution: row.attribution };
            stored.set(entry, row);
            return entry;
          }),
          warnings: warningsOf.get(slot.id) ?? [],
        })),
    })),
  }));

  const document: PlanDocument = {
    format: PLAN_FORMAT,
    notice: noticeRow ? noticeOfRow(noticeRow) : null,
    plan: { title: snapshot.plan.title, docNumber: snapshot.plan.doc_number },
    round: { label: round.label, periodStart: round.period_start, periodEnd: round.period_end },
    unitAliases: Object.fromEntries(aliasRows.map((row) => [row.alias, row.unitName])),
    chapters,
    warnings: storedStringArray(round.warnings, 'rounds.warnings'),
  };
  return { document, stored };
}
