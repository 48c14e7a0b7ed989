import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type { Actor } from '../../domain/actor.ts';
import { conflict, invalid, isDomainError, type DomainError } from '../../domain/errors.ts';
import { planDocumentSchema, tasksOf, type PlanDocument } from '../../domain/plan-document.ts';
import { isUniqueViolation, type Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { noticeColumns } from '../db/repositories/notice.repository.ts';
import { inTransaction } from '../db/transaction.ts';
import { docNumberTaken, roundUsingDocNumber } from './notice.service.ts';
import { adoptProfileFromNoticeIn } from './organisation-profile.service.ts';
import { describeDifference, firstDifference, structureOf } from './plan-document-diff.ts';
import { buildRoundDocument, chaptersOfSnapshot, loadPlanSnapshot, planIdentityKey } from './plan-snapshot.ts';
import { audit, auditOutside } from './audit-writer.ts';

export type ImportStatus = 'created' | 'round_added' | 'unchanged';

export type ImportOutcome = {
  status: ImportStatus;
  planId: number;
  roundId: number;
  /** Tasks and progress entries in the imported document (stored now or before). */
  tasks: number;
  progressEntries: number;
  /** One line for people, Chinese then English. */
  message: string;
};

export type ImportSource = { fileName: string; contentHash: string };

/** A round stored from a document: its answers are already compiled, not collected here. */
const IMPORTED_ROUND_STATUS = 'imported';

const AUDIT_ACTION: AuditAction = 'plan.import';

/**
 * Stores `diaodu.plan/1` documents. A document is one plan plus one round of progress: the
 * first import of a plan creates it, the next quarter's document adds a round, the same file
 * again changes nothing, and anything that would silently rewrite stored data is refused.
 */
export function createPlanImportService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function importDocument(actor: Actor, input: PlanDocument, source: ImportSource): Promise<ImportOutcome> {
    try {
      const parsed = planDocumentSchema.safeParse(input);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
        const lines = issues.slice(0, 20).map((issue) => `  ${issue.path || '(document)'}: ${issue.message}`);
        throw invalid('plan_document_invalid', `文件“${source.fileName}”的内容不符合 diaodu.plan/1：\n${lines.join('\n')}`, {
          fileName: source.fileName,
          issues,
        });
      }
      const document = parsed.data;
      try {
        return await inTransaction(database, (repositories) => store(repositories, actor, document, source));
      } catch (error) {
        // Two imports of the same new plan at once: the loser hits a unique key. Run it
        // again: it now sees the winner's rows and answers unchanged or conflict.
        if (!isUniqueViolation(error)) throw error;
        return await inTransaction(database, (repositories) => store(repositories, actor, document, source));
      }
    } catch (error) {
      if (isDomainError(error)) await recordRejection(actor, source, error);
      throw error;
    }
  }

  async function store(repositories: Repositories, actor: Actor, document: PlanDocument, source: ImportSource): Promise<ImportOutcome> {
    const counts = { tasks: [...tasksOf(document)].length, progressEntries: countProgress(document) };
    const label = document.round.label;
    const title = document.plan.title;
    const existing = await repositories.plans.findPlanByIdentity(planIdentityKey(document.plan));

    if (!existing) {
      const names = await storeNames(repositories, document);
      const planId = await repositories.plans.insertPlan({
        identityKey: planIdentityKey(document.plan),
        title,
        docNumber: document.plan.docNumber,
        now: now(),
      });
      const taskIds = await storeStructure(repositories, planId, document, names);
      const roundId = await storeRound(repositories, actor, planId, taskIds, document, names);
      const message = `已导入：分工方案《${title}》${counts.tasks} 项任务，调度“${label}”${counts.progressEntries} 条推进情况`;
      return finish(repositories, actor, source, { status: 'created', planId, roundId, ...counts, message });
    }

    // An archived plan takes no new rounds (029), and an import is refused like opening one.
    if (existing.archived_at !== null) throw conflict('plan_archived', `分工方案“${existing.title}”已归档，不能发起新的调度，未导入`, { planId: existing.id });

    // The round first: a round's own document (or its export) is compared with what that round
    // covers — every version, withdrawn ones included — not with the plan as edited since.
    const round = await repositories.rounds.findRoundByLabel(existing.id, label);
    if (round) {
      const stored = await buildRoundDocument(repositories, await loadPlanSnapshot(repositories, existing, 'all'), round);
      const difference = firstDifference(stored, document);
      if (difference) {
        throw conflict('plan_differs', `调度“${label}”已导入，但内容不同，未导入：${describeDifference(document.chapters, difference)}`, {
          planId: existing.id,
          roundId: round.id,
          differs: 'round',
          path: difference.path,
          stored: difference.stored,
          incoming: difference.incoming,
        });
      }
      const message = `未变更：分工方案《${title}》的调度“${label}”已导入，内容相同`;
      // Nothing stored, but the attempt is still someone acting on the plan: audit it.
      await appendAudit(repositories, actor, {
        objectId: String(existing.id),
        result: 'unchanged',
        detail: { ...sourceDetail(source), roundId: round.id, roundLabel: label },
      });
      return { status: 'unchanged', planId: existing.id, roundId: round.id, ...counts, message };
    }

    // A new round covers the plan as it stands, so its document must have that structure.
    const snapshot = await loadPlanSnapshot(repositories, existing, 'current');
    const storedPlan = { title: existing.title, docNumber: existing.doc_number };
    const structural = firstDifference(structureOf({ plan: storedPlan, chapters: chaptersOfSnapshot(snapshot) }), structureOf(document));
    if (structural) {
      throw conflict('plan_differs', `分工方案《${title}》已存在，但任务结构不同，未导入：${describeDifference(document.chapters, structural)}`, {
        planId: existing.id,
        differs: 'structure',
        path: structural.path,
        stored: structural.stored,
        incoming: structural.incoming,
      });
    }

    const names = await storeNames(repositories, document);
    const roundId = await storeRound(repositories, actor, existing.id, snapshot.taskIds, document, names);
    const message = `已新增调度：分工方案《${title}》调度“${label}”${counts.progressEntries} 条推进情况`;
    return finish(repositories, actor, source, { status: 'round_added', planId: existing.id, roundId, ...counts, message });
  }

  type Names = { units: Map<string, number>; leaders: Map<string, number>; departments: Map<string, number> };

  /** Upserts every unit, leader and department the document names, and its unit aliases. */
  async function storeNames(repositories: Repositories, document: PlanDocument): Promise<Names> {
    const { organisation } = repositories;
    const unitNames: string[] = [];
    const leaderNames: string[] = [];
    const departmentNames: string[] = [];
    for (const { task } of tasksOf(document)) {
      unitNames.push(...task.units.map((unit) => unit.name));
      for (const entry of task.progress) if (entry.unit !== null) unitNames.push(entry.unit);
      leaderNames.push(...task.leaders);
      if (task.leadDepartment !== null) departmentNames.push(task.leadDepartment);
    }
    const aliases = Object.entries(document.unitAliases);
    unitNames.push(...aliases.map(([, unit]) => unit));

    const storedAliases = await organisation.findUnitsOfAliases(aliases.map(([alias]) => alias));
    for (const [alias, unit] of aliases) {
      const stored = storedAliases.get(alias);
      if (stored && stored.unitName !== unit)
        throw conflict('unit_alias_differs', `简称“${alias}”已指“${stored.unitName}”，文件中指“${unit}”，未导入`, {
          alias,
          stored: stored.unitName,
          incoming: unit,
        });
    }

    const at = now();
    const units = await organisation.upsertUnitsByName(unitNames, at);
    await organisation.insertUnitAliases(
      aliases.filter(([alias]) => !storedAliases.has(alias)).map(([alias, unit]) => ({ alias, unitId: idOf(units, unit) })),
      at,
    );
    return {
      units,
      leaders: await organisation.upsertLeadersByName(leaderNames, at),
      departments: await organisation.upsertDepartmentsByName(departmentNames, at),
    };
  }

  /** Chapters, sections and tasks with their leaders and units; returns task ids in plan order. */
  async function storeStructure(repositories: Repositories, planId: number, document: PlanDocument, names: Names): Promise<number[]> {
    const { plans } = repositories;
    const at = now();
    const taskRows = [];
    let position = 0;
    for (const [chapterIndex, chapter] of document.chapters.entries()) {
      const chapterId = await plans.insertChapter({ planId, number: chapter.number, title: chapter.title, position: chapterIndex + 1 });
      for (const [sectionIndex, section] of chapter.sections.entries()) {
        const sectionId = await plans.insertSection({ chapterId, number: section.number, title: section.title, position: sectionIndex + 1 });
        for (const task of section.tasks)
          taskRows.push({
            plan_id: planId,
            section_id: sectionId,
            position: ++position,
            text: task.text,
            lead_department_id: task.leadDepartment === null ? null : idOf(names.departments, task.leadDepartment),
            due: task.due ?? null,
            version: 1,
            created_at: at,
            updated_at: at,
          });
      }
    }
    await plans.insertTasks(taskRows);
    const idsByPosition = await plans.taskIdsByPosition(planId);
    const taskIds = taskRows.map((row) => idOf(idsByPosition, row.position));

    const tasks = [...tasksOf(document)].map(({ task }) => task);
    await plans.insertTaskLeaders(
      tasks.flatMap((task, index) =>
        task.leaders.map((leader, order) => ({ task_id: taskIds[index]!, leader_id: idOf(names.leaders, leader), position: order + 1 })),
      ),
    );
    await plans.insertTaskUnits(
      tasks.flatMap((task, index) =>
        task.units.map((unit, order) => ({ task_id: taskIds[index]!, unit_id: idOf(names.units, unit.name), position: order + 1, role: unit.role })),
      ),
    );
    return taskIds;
  }

  /** The round itself: which tasks, their warnings, progress in order, aliases, notice. */
  async function storeRound(
    repositories: Repositories,
    actor: Actor,
    planId: number,
    taskIds: readonly number[],
    document: PlanDocument,
    names: Names,
  ): Promise<number> {
    const { rounds, progress } = repositories;
    const at = now();
    const roundId = await rounds.insertRound({
      planId,
      label: document.round.label,
      periodStart: document.round.periodStart,
      periodEnd: document.round.periodEnd,
      deadline: null,
      status: IMPORTED_ROUND_STATUS,
      warnings: JSON.stringify(document.warnings),
      now: at,
    });
    const tasks = [...tasksOf(document)].map(({ task }) => task);
    if (tasks.length !== taskIds.length) throw new Error(`document has ${tasks.length} tasks, plan ${planId} has ${taskIds.length}`);
    await rounds.insertRoundTasks(tasks.map((task, index) => ({ round_id: roundId, task_id: taskIds[index]!, warnings: JSON.stringify(task.warnings) })));
    await rounds.insertRoundUnitAliases(
      roundId,
      Object.entries(document.unitAliases).map(([alias, unit]) => ({ alias, unitId: idOf(names.units, unit) })),
    );
    await progress.insertProgressEntries(
      tasks.flatMap((task, index) =>
        task.progress.map((entry, entryIndex) => ({
          round_id: roundId,
          task_id: taskIds[index]!,
          unit_id: entry.unit === null ? null : idOf(names.units, entry.unit),
          position: entryIndex + 1,
          text: entry.text,
          attribution: entry.attribution ?? null,
          status: null,
          version: 1,
          created_at: at,
          updated_at: at,
        })),
      ),
    );
    const notice = document.notice;
    // One document number, one notice: another round's number is refused, not stored twice.
    const owner = notice?.docNumber ? await roundUsingDocNumber(repositories, notice.docNumber, roundId) : null;
    if (owner) throw docNumberTaken(notice!.docNumber!, owner);
    if (notice) {
      await repositories.notices.insertNotice(roundId, noticeColumns(notice), null);
      // The first imported notice names the organisation when nobody has set its profile (decision 027).
      await adoptProfileFromNoticeIn(repositories, actor, notice, at);
    }
    return roundId;
  }

  /** The `imports` row and the audit row, in the same transaction as the data they describe. */
  async function finish(repositories: Repositories, actor: Actor, source: ImportSource, outcome: ImportOutcome): Promise<ImportOutcome> {
    const at = now();
    await repositories.imports.insertImport({
      contentHash: source.contentHash,
      sourceName: source.fileName,
      planId: outcome.planId,
      roundId: outcome.roundId,
      status: outcome.status,
      now: at,
    });
    await appendAudit(repositories, actor, {
      objectId: String(outcome.planId),
      result: outcome.status,
      detail: { ...sourceDetail(source), roundId: outcome.roundId, tasks: outcome.tasks, progressEntries: outcome.progressEntries },
    });
    return outcome;
  }

  async function appendAudit(
    repositories: Repositories,
    actor: Actor,
    event: { objectId: string | null; result: string; detail: Record<string, unknown> },
  ): Promise<void> {
    await audit(repositories, actor, now(), { action: AUDIT_ACTION, objectType: 'plan', objectId: event.objectId, result: event.result, detail: event.detail });
  }

  /**
   * A refused import stores no data, but the refusal is audited (who tried what, and why),
   * in a transaction of its own after the import's was rolled back. If even that write
   * fails, the original error is what the caller needs to see: the lost row is logged
   * (auditOutside), not thrown.
   */
  async function recordRejection(actor: Actor, source: ImportSource, error: DomainError): Promise<void> {
    const planId = error.details.planId;
    await auditOutside(database, actor, now(), {
      action: AUDIT_ACTION,
      objectType: 'plan',
      objectId: typeof planId === 'number' ? String(planId) : null,
      result: 'rejected',
      detail: { ...sourceDetail(source), code: error.code, message: error.message },
    });
  }

  return { importDocument };
}

export type PlanImportService = ReturnType<typeof createPlanImportService>;

function countProgress(document: PlanDocument): number {
  let count = 0;
  for (const { task } of tasksOf(document)) count += task.progress.length;
  return count;
}

function sourceDetail(source: ImportSource) {
  return { fileName: source.fileName, contentHash: source.contentHash };
}

function idOf<K>(ids: Map<K, number>, key: K): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`no id stored for ${String(key)}`);
  return id;
}
