import type { Actor } from '../../domain/actor.ts';
import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type {
  EditableTaskView,
  PlanChangeView,
  PlanNamesView,
  PlanStructureView,
  TaskHistoryEntryView,
  UnitOpenRoundsView,
} from '../../domain/api/plan-edit.ts';
import { DEFAULT_TIME_ZONE, formatDateZh } from '../../domain/dates.ts';
import { timeZoneIn } from './organisation-words.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { groupBy } from '../../domain/group-by.ts';
import { PlanEditLimits, TaskLimits } from '../../domain/limits.ts';
import { describeChange, historySentence, type RevisionChange } from '../../domain/plan-history.ts';
import { normaliseName, stripControlCharacters } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { RevisionRow, TaskRow } from '../db/repositories/plan-edit.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanEditPlans, assertCanReadPlans } from '../policies/plan.policy.ts';
import { assertCanReadUnit } from '../policies/round.policy.ts';
import { planIdentityKey } from './plan-snapshot.ts';
import { audit } from './round.service.ts';

/** What a task edit may change; a field left out stays as it is. */
export type TaskChangeInput = {
  text?: string | undefined;
  leadDepartment?: string | null | undefined;
  leaders?: string[] | undefined;
  units?: { name: string; role: 'lead' | 'co' }[] | undefined;
  due?: string | null | undefined;
};

export type NewTaskInput = {
  sectionId: number;
  text: string;
  leadDepartment: string | null;
  leaders: string[];
  units: { name: string; role: 'lead' | 'co' }[];
  due: string | null;
  reason: string;
};

type TaskState = {
  sectionId: number;
  text: string;
  leadDepartment: string | null;
  leaders: string[];
  units: { name: string; role: 'lead' | 'co' }[];
  due: string | null;
};

/**
 * The plan as a living thing (issue 14, docs/decisions/029-plan-revisions.md): the office creates
 * plans, adds, edits, moves and withdraws chapters, sections and tasks, copies a plan into next
 * year's and archives one. Every change is a revision (author, time, reason) written with its
 * audit row in one transaction. A task a round already covers is replaced, not edited: the new
 * version (same lineage) goes into the next round, and every round opened before keeps reading
 * the row it opened with; a task no round covers yet is edited in place.
 */
export function createPlanEditService(deps: { database: Database; now?: () => Date; timeZone?: string }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  /** Writes the revision and its audit row; both in the caller's transaction. */
  async function record(
    repositories: Repositories,
    actor: Actor,
    at: string,
    event: {
      action: AuditAction;
      planId: number;
      objectType: 'plan' | 'chapter' | 'section' | 'task';
      objectId: number;
      lineage: number | null;
      kind: string;
      changes: RevisionChange[];
      reason: string;
    },
  ): Promise<PlanChangeView> {
    const revisionId = await repositories.planEdits.insertRevision({
      planId: event.planId,
      objectType: event.objectType,
      objectId: event.objectId,
      lineage: event.lineage,
      kind: event.kind,
      changes: event.changes,
      reason: event.reason,
      authorUserId: actor.userId,
      authorName: actor.name,
      at,
    });
    await audit(repositories, actor, at, {
      action: event.action,
      objectType: event.objectType,
      objectId: event.objectId,
      detail: { planId: event.planId, kind: event.kind, revisionId, reason: event.reason, changes: event.changes },
    });
    return { planId: event.planId, objectId: event.objectId, revisionId };
  }

  /**
   * A change of a plan's tasks in one transaction. Two changes racing for the same places (a plan's
   * task places are unique) leave the later one refused as a conflict, with nothing written.
   */
  async function changeTasks<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(database, work);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('plan_busy', '分工方案刚被他人修改，您的修改未保存；请刷新后再试', {});
      throw error;
    }
  }

  async function requirePlan(repositories: Repositories, planId: number, forChange = true) {
    const plan = await repositories.plans.findPlanById(planId);
    if (!plan) throw notFound('plan_not_found', `分工方案 ${planId} 不存在`, { planId });
    if (forChange && plan.archived_at !== null) throw conflict('plan_archived', `分工方案“${plan.title}”已归档，不能再修改`, { planId });
    return plan;
  }

  async function requireTask(repositories: Repositories, taskId: number, version: number): Promise<TaskRow> {
    const task = await repositories.planEdits.findTask(taskId);
    if (!task) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
    if (task.retired_at !== null && task.replaced_by === null) throw conflict('task_retired', `任务“${shortText(task.text)}”已撤销，不能再修改`, { taskId });
    if (task.replaced_by !== null || task.version !== version) throw await staleTask(repositories, task, version);
    await requirePlan(repositories, task.plan_id);
    return task;
  }

  /** A stale version: who changed what since, so the office knows what to look at. */
  async function staleTask(repositories: Repositories, task: TaskRow, version: number) {
    const revisions = await repositories.planEdits.listRevisionsOfLineage(task.lineage ?? task.id);
    const last = revisions.at(-1);
    const what = last
      ? `${last.author_name}于${formatDateZh(last.at, await timeZoneIn(repositories, deps.timeZone ?? DEFAULT_TIME_ZONE))}已修改该任务（${describeRevision(last)}）`
      : '该任务已被他人修改';
    return conflict('task_stale', `${what}，您看到的是旧版本，未保存；请刷新后再修改`, {
      taskId: task.id,
      currentTaskId: task.replaced_by ?? task.id,
      yourVersion: version,
      currentVersion: task.version,
    });
  }

  /** The ids of the names given, refusing (naming them) any the organisation does not know. */
  async function idsOf(
    repositories: Repositories,
    table: 'units' | 'leaders' | 'departments',
    names: readonly string[],
    field: string,
  ): Promise<Map<string, number>> {
    const ids = await repositories.planEdits.idsByName(table, names);
    const unknown = names.filter((name) => !ids.has(name));
    if (unknown.length > 0) {
      const word = table === 'units' ? '责任单位' : table === 'leaders' ? '牵头领导' : '牵头部门';
      throw invalid(
        `${table === 'units' ? 'unit' : table === 'leaders' ? 'leader' : 'department'}_unknown`,
        `未知的${word}：${unknown.join('、')}（请使用已有的名称）`,
        { field, names: unknown },
      );
    }
    return ids;
  }

  async function stateOf(repositories: Repositories, task: TaskRow): Promise<TaskState> {
    const [leaders, units, leadDepartment] = await Promise.all([
      repositories.planEdits.taskLeaders(task.id),
      repositories.planEdits.taskUnits(task.id),
      repositories.planEdits.departmentName(task.lead_department_id),
    ]);
    return {
      sectionId: task.section_id,
      text: task.text,
      leadDepartment,
      leaders: leaders.map((l) => l.name),
      units: units.map((u) => ({ name: u.name, role: u.role })),
      due: task.due,
    };
  }

  /** Writes a task's new state: in place when no round covers it, else as a new version. Returns the current row's id. */
  async function writeTask(repositories: Repositories, task: TaskRow, next: TaskState, at: string): Promise<number> {
    const { planEdits } = repositories;
    const [departments, leaders, units] = await Promise.all([
      idsOf(repositories, 'departments', next.leadDepartment === null ? [] : [next.leadDepartment], 'leadDepartment'),
      idsOf(repositories, 'leaders', next.leaders, 'leaders'),
      idsOf(
        repositories,
        'units',
        next.units.map((u) => u.name),
        'units',
      ),
    ]);
    const leadDepartmentId = next.leadDepartment === null ? null : departments.get(next.leadDepartment)!;
    const leaderIds = next.leaders.map((name) => leaders.get(name)!);
    const unitRows = next.units.map((unit) => ({ unitId: units.get(unit.name)!, role: unit.role }));
    const moved = next.sectionId !== task.section_id;
    let currentId = task.id;
    if (await planEdits.isTaskCovered(task.id)) {
      currentId = await planEdits.insertTask({
        planId: task.plan_id,
        sectionId: next.sectionId,
        position: await planEdits.endPosition(task.plan_id),
        text: next.text,
        leadDepartmentId,
        due: next.due,
        version: task.version + 1,
        lineage: task.lineage ?? task.id,
        now: at,
      });
      await planEdits.setTaskLeaders(currentId, leaderIds);
      await planEdits.setTaskUnits(currentId, unitRows);
      if ((await planEdits.retireTask(task.id, task.version, at, currentId)) === 0)
        throw await staleTask(repositories, (await planEdits.findTask(task.id))!, task.version);
    } else {
      if ((await planEdits.updateTask(task.id, task.version, { sectionId: next.sectionId, text: next.text, leadDepartmentId, due: next.due, now: at })) === 0)
        throw await staleTask(repositories, (await planEdits.findTask(task.id))!, task.version);
      await planEdits.setTaskLeaders(task.id, leaderIds);
      await planEdits.setTaskUnits(task.id, unitRows);
    }
    // The new version takes the old one's place (just after it); a moved task goes last in its new section.
    if (moved) await planEdits.renumberTasks(task.plan_id, { taskId: currentId, afterPosition: await planEdits.lastPositionInSection(next.sectionId) });
    else if (currentId !== task.id) await planEdits.renumberTasks(task.plan_id, { taskId: currentId, afterPosition: task.position });
    return currentId;
  }

  /** Where a section stands in its plan, as the history names it: `第一章 总体要求 / （二）…`. */
  async function sectionName(repositories: Repositories, sectionId: number): Promise<string> {
    const section = await repositories.planEdits.findSection(sectionId);
    const chapter = section ? await repositories.planEdits.findChapter(section.chapter_id) : undefined;
    return section && chapter ? `${chapter.number}.${section.number} ${section.title}` : String(sectionId);
  }

  return {
    /** 新建分工方案: a plan with a title and an optional 文号, no chapters yet. */
    async createPlan(actor: Actor, input: { title: string; docNumber: string | null }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '新建分工方案');
      const title = requiredText(input.title, 'title', '方案标题', PlanEditLimits.title.max);
      const docNumber = optionalText(input.docNumber, 'docNumber', '文号', PlanEditLimits.docNumber.max);
      const at = now().toISOString();
      try {
        return await inTransaction(database, async (repositories) => {
          const planId = await repositories.plans.insertPlan({ identityKey: planIdentityKey({ title, docNumber }), title, docNumber, now: at });
          return record(repositories, actor, at, {
            action: 'plan.create',
            planId,
            objectType: 'plan',
            objectId: planId,
            lineage: null,
            kind: 'plan.create',
            changes: [{ field: 'title', from: null, to: title }],
            reason: '新建分工方案',
          });
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw conflict('plan_exists', docNumber ? `文号为“${docNumber}”的分工方案已存在` : `标题为“${title}”的分工方案已存在`, {
            field: docNumber ? 'docNumber' : 'title',
          });
        throw error;
      }
    },

    async addChapter(actor: Actor, planId: number, input: { title: string; reason: string }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '新增章');
      const title = requiredText(input.title, 'title', '章标题', PlanEditLimits.chapterTitle.max);
      const reason = requiredReason(input.reason);
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        await requirePlan(repositories, planId);
        const slot = await repositories.planEdits.nextChapterSlot(planId);
        const chapterId = await repositories.plans.insertChapter({ planId, number: slot.number, title, position: slot.position });
        return record(repositories, actor, at, {
          action: 'plan.chapter',
          planId,
          objectType: 'chapter',
          objectId: chapterId,
          lineage: null,
          kind: 'chapter.add',
          changes: [{ field: 'title', from: null, to: title }],
          reason,
        });
      });
    },

    async addSection(actor: Actor, chapterId: number, input: { title: string; reason: string }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '新增节');
      const title = requiredText(input.title, 'title', '节标题', PlanEditLimits.chapterTitle.max);
      const reason = requiredReason(input.reason);
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const chapter = await repositories.planEdits.findChapter(chapterId);
        if (!chapter) throw notFound('chapter_not_found', `章 ${chapterId} 不存在`, { chapterId });
        await requirePlan(repositories, chapter.plan_id);
        if (chapter.retired_at !== null) throw conflict('chapter_retired', `“${chapter.title}”已撤销，不能在其中新增节`, { chapterId });
        const slot = await repositories.planEdits.nextSectionSlot(chapterId);
        const sectionId = await repositories.plans.insertSection({ chapterId, number: slot.number, title, position: slot.position });
        return record(repositories, actor, at, {
          action: 'plan.section',
          planId: chapter.plan_id,
          objectType: 'section',
          objectId: sectionId,
          lineage: null,
          kind: 'section.add',
          changes: [{ field: 'title', from: null, to: title }],
          reason,
        });
      });
    },

    /** Renames or withdraws a chapter or section (withdrawn only once it holds no current task). */
    async changeHeading(
      actor: Actor,
      kind: 'chapter' | 'section',
      id: number,
      input: { title?: string | undefined; retire?: boolean | undefined; reason: string },
    ): Promise<PlanChangeView> {
      const word = kind === 'chapter' ? '章' : '节';
      assertCanEditPlans(actor, `修改${word}`);
      const reason = requiredReason(input.reason);
      const title = input.title === undefined ? undefined : requiredText(input.title, 'title', `${word}标题`, PlanEditLimits.chapterTitle.max);
      if (title === undefined && !input.retire) throw invalid('no_change', '没有修改任何内容', { field: 'title' });
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const { planEdits } = repositories;
        const row = kind === 'chapter' ? await planEdits.findChapter(id) : await planEdits.findSection(id);
        if (!row) throw notFound(`${kind}_not_found`, `${word} ${id} 不存在`, { [`${kind}Id`]: id });
        await requirePlan(repositories, row.plan_id);
        if (row.retired_at !== null) throw conflict(`${kind}_retired`, `“${row.title}”已撤销，不能再修改`, { id });
        const changes: RevisionChange[] = [];
        if (title !== undefined && title !== row.title) {
          // A heading's title is printed in every round's table and notice that covers a task under
          // it (signed ones included): renaming it would rewrite them. A new heading does not.
          const rounds = await planEdits.countRoundsUnder(kind === 'chapter' ? { chapterId: id } : { sectionId: id });
          if (rounds > 0)
            throw conflict(
              `${kind}_in_rounds`,
              `“${row.title}”已出现在 ${rounds} 轮调度的调度表和通报中，改名会改变这些已有的文件；请新增一${word}，把任务移过去，再撤销本${word}`,
              { id, rounds, field: 'title' },
            );
          if (kind === 'chapter') await planEdits.setChapterTitle(id, title);
          else await planEdits.setSectionTitle(id, title);
          changes.push({ field: 'title', from: row.title, to: title });
        }
        if (input.retire) {
          const left = await planEdits.countCurrentTasks(kind === 'chapter' ? { chapterId: id } : { sectionId: id });
          if (left > 0) throw conflict(`${kind}_not_empty`, `“${row.title}”中还有 ${left} 项未撤销的任务，请先移走或撤销这些任务`, { id, tasks: left });
          if (kind === 'chapter') await planEdits.retireChapter(id, at);
          else await planEdits.retireSection(id, at);
          changes.push({ field: 'retired', from: false, to: true });
        }
        if (changes.length === 0) throw invalid('no_change', '没有修改任何内容', { field: 'title' });
        return record(repositories, actor, at, {
          action: kind === 'chapter' ? 'plan.chapter' : 'plan.section',
          planId: row.plan_id,
          objectType: kind,
          objectId: id,
          lineage: null,
          kind: input.retire ? `${kind}.retire` : `${kind}.edit`,
          changes,
          reason,
        });
      });
    },

    async addTask(actor: Actor, input: NewTaskInput): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '新增任务');
      const reason = requiredReason(input.reason);
      const state = checkedState({ sectionId: input.sectionId, ...taskFields(input) });
      const at = now().toISOString();
      return changeTasks(async (repositories) => {
        const { planEdits } = repositories;
        const section = await planEdits.findSection(input.sectionId);
        if (!section) throw notFound('section_not_found', `节 ${input.sectionId} 不存在`, { field: 'sectionId' });
        await requirePlan(repositories, section.plan_id);
        if (section.retired_at !== null) throw conflict('section_retired', `“${section.title}”已撤销，不能在其中新增任务`, { field: 'sectionId' });
        const [departments, leaders, units] = await Promise.all([
          idsOf(repositories, 'departments', state.leadDepartment === null ? [] : [state.leadDepartment], 'leadDepartment'),
          idsOf(repositories, 'leaders', state.leaders, 'leaders'),
          idsOf(
            repositories,
            'units',
            state.units.map((u) => u.name),
            'units',
          ),
        ]);
        const after = await planEdits.lastPositionInSection(section.id);
        const taskId = await planEdits.insertTask({
          planId: section.plan_id,
          sectionId: section.id,
          position: await planEdits.endPosition(section.plan_id),
          text: state.text,
          leadDepartmentId: state.leadDepartment === null ? null : departments.get(state.leadDepartment)!,
          due: state.due,
          version: 1,
          lineage: null,
          now: at,
        });
        await planEdits.setTaskLeaders(
          taskId,
          state.leaders.map((name) => leaders.get(name)!),
        );
        await planEdits.setTaskUnits(
          taskId,
          state.units.map((unit) => ({ unitId: units.get(unit.name)!, role: unit.role })),
        );
        await planEdits.renumberTasks(section.plan_id, { taskId, afterPosition: after });
        return record(repositories, actor, at, {
          action: 'plan.task_add',
          planId: section.plan_id,
          objectType: 'task',
          objectId: taskId,
          lineage: taskId,
          kind: 'task.add',
          changes: [{ field: 'text', from: null, to: state.text }],
          reason,
        });
      });
    },

    /** Changes a task's text, lead department, leaders, units or due date (a new version once a round covers it). */
    async editTask(actor: Actor, taskId: number, input: TaskChangeInput & { version: number; reason: string }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '修改任务');
      const reason = requiredReason(input.reason);
      const at = now().toISOString();
      return changeTasks(async (repositories) => {
        const task = await requireTask(repositories, taskId, input.version);
        const before = await stateOf(repositories, task);
        const next = checkedState({ ...before, ...taskFields({ ...before, ...definedOnly(input) }) });
        const changes = diff(before, next);
        if (changes.length === 0) throw invalid('no_change', '没有修改任何内容', { taskId });
        const currentId = await writeTask(repositories, task, next, at);
        return record(repositories, actor, at, {
          action: 'plan.task_edit',
          planId: task.plan_id,
          objectType: 'task',
          objectId: currentId,
          lineage: task.lineage ?? task.id,
          kind: 'task.edit',
          changes,
          reason,
        });
      });
    },

    /** Moves a task into another section of the same plan. */
    async moveTask(actor: Actor, taskId: number, input: { sectionId: number; version: number; reason: string }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '移动任务');
      const reason = requiredReason(input.reason);
      const at = now().toISOString();
      return changeTasks(async (repositories) => {
        const task = await requireTask(repositories, taskId, input.version);
        const section = await repositories.planEdits.findSection(input.sectionId);
        if (!section) throw notFound('section_not_found', `节 ${input.sectionId} 不存在`, { field: 'sectionId' });
        if (section.plan_id !== task.plan_id) throw invalid('section_of_other_plan', '不能把任务移到另一个分工方案的节中', { field: 'sectionId' });
        if (section.retired_at !== null) throw conflict('section_retired', `“${section.title}”已撤销，不能移入任务`, { field: 'sectionId' });
        if (section.id === task.section_id) throw invalid('no_change', '任务已在该节中', { field: 'sectionId' });
        const before = await stateOf(repositories, task);
        const changes: RevisionChange[] = [
          { field: 'section', from: await sectionName(repositories, task.section_id), to: await sectionName(repositories, section.id) },
        ];
        const currentId = await writeTask(repositories, task, { ...before, sectionId: section.id }, at);
        return record(repositories, actor, at, {
          action: 'plan.task_move',
          planId: task.plan_id,
          objectType: 'task',
          objectId: currentId,
          lineage: task.lineage ?? task.id,
          kind: 'task.move',
          changes,
          reason,
        });
      });
    },

    /** 撤销: the task is in no future round; old rounds and its history still show it (struck). */
    async retireTask(actor: Actor, taskId: number, input: { version: number; reason: string }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '撤销任务');
      const reason = requiredReason(input.reason);
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const task = await requireTask(repositories, taskId, input.version);
        if ((await repositories.planEdits.retireTask(task.id, task.version, at, null)) === 0)
          throw await staleTask(repositories, (await repositories.planEdits.findTask(task.id))!, task.version);
        return record(repositories, actor, at, {
          action: 'plan.task_retire',
          planId: task.plan_id,
          objectType: 'task',
          objectId: task.id,
          lineage: task.lineage ?? task.id,
          kind: 'task.retire',
          changes: [{ field: 'retired', from: false, to: true }],
          reason,
        });
      });
    },

    /**
     * Next year's plan from this one: current chapters, sections and tasks (not withdrawn ones),
     * each task keeping its lineage, so its first round can 沿用 the source plan's last round.
     * The source plan is untouched.
     */
    async copyPlan(actor: Actor, sourcePlanId: number, input: { title: string; docNumber: string | null }): Promise<PlanChangeView & { tasks: number }> {
      assertCanEditPlans(actor, '复制分工方案');
      const title = requiredText(input.title, 'title', '方案标题', PlanEditLimits.title.max);
      const docNumber = optionalText(input.docNumber, 'docNumber', '文号', PlanEditLimits.docNumber.max);
      const at = now().toISOString();
      try {
        return await inTransaction(database, async (repositories) => {
          const source = await requirePlan(repositories, sourcePlanId, false);
          const planId = await repositories.plans.insertPlan({ identityKey: planIdentityKey({ title, docNumber }), title, docNumber, now: at });
          await repositories.planEdits.setCopiedFrom(planId, sourcePlanId);
          const tasks = await repositories.planEdits.copyStructure(sourcePlanId, planId, at);
          const change = await record(repositories, actor, at, {
            action: 'plan.copy',
            planId,
            objectType: 'plan',
            objectId: planId,
            lineage: null,
            kind: 'plan.copy',
            changes: [{ field: 'title', from: source.title, to: title }],
            reason: `由“${source.title}”复制`,
          });
          return { ...change, tasks };
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw conflict('plan_exists', docNumber ? `文号为“${docNumber}”的分工方案已存在` : `标题为“${title}”的分工方案已存在`, {
            field: docNumber ? 'docNumber' : 'title',
          });
        throw error;
      }
    },

    /** 归档: no new rounds, hidden from the default list, still readable; its open rounds must be closed first. */
    async archivePlan(actor: Actor, planId: number, input: { reason: string }): Promise<PlanChangeView> {
      assertCanEditPlans(actor, '归档分工方案');
      const reason = requiredReason(input.reason);
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const plan = await requirePlan(repositories, planId, false);
        if (plan.archived_at !== null) throw conflict('plan_archived', `分工方案“${plan.title}”已归档`, { planId });
        const open = await repositories.planEdits.countOpenRounds(planId);
        if (open.n > 0)
          throw conflict('plan_has_open_rounds', `分工方案“${plan.title}”还有进行中的调度（${open.labels.join('、')}），请先结束后再归档`, {
            planId,
            rounds: open.labels,
          });
        await repositories.planEdits.archivePlan(planId, at);
        return record(repositories, actor, at, {
          action: 'plan.archive',
          planId,
          objectType: 'plan',
          objectId: planId,
          lineage: null,
          kind: 'plan.archive',
          changes: [{ field: 'archived', from: false, to: true }],
          reason,
        });
      });
    },

    /** The plan as it stands now, for the editor: current versions, withdrawn tasks and headings struck. */
    async structure(actor: Actor, planId: number): Promise<PlanStructureView> {
      assertCanReadPlans(actor);
      return inReadTransaction(database, async (repositories) => {
        const plan = await requirePlan(repositories, planId, false);
        const rows = await repositories.planEdits.listStructure(planId);
        const leadersOf = groupBy(rows.leaders, (row) => row.taskId);
        const unitsOf = groupBy(rows.units, (row) => row.taskId);
        const tasksOf = groupBy(rows.tasks, (row) => row.sectionId);
        // 第 N 项 counts the current tasks only; a withdrawn one keeps 0 (shown without a number).
        const numberOf = new Map(rows.tasks.filter((row) => row.retiredAt === null).map((row, index) => [row.id, index + 1]));
        const task = (row: (typeof rows.tasks)[number]): EditableTaskView => ({
          id: row.id,
          lineage: row.lineage,
          position: numberOf.get(row.id) ?? 0,
          text: row.text,
          leadDepartment: row.leadDepartment,
          leaders: (leadersOf.get(row.id) ?? []).map((l) => l.name),
          units: (unitsOf.get(row.id) ?? []).map((u) => ({ name: u.name, role: u.role })),
          due: row.due,
          version: row.version,
          retired: row.retiredAt !== null,
        });
        return {
          plan: { id: plan.id, title: plan.title, docNumber: plan.doc_number, archivedAt: plan.archived_at },
          chapters: rows.chapters.map((chapter) => ({
            id: chapter.id,
            number: chapter.number,
            title: chapter.title,
            retired: chapter.retired_at !== null,
            sections: rows.sections
              .filter((section) => section.chapter_id === chapter.id)
              .map((section) => ({
                id: section.id,
                number: section.number,
                title: section.title,
                retired: section.retired_at !== null,
                tasks: (tasksOf.get(section.id) ?? []).map(task),
              })),
          })),
        };
      });
    },

    async names(actor: Actor): Promise<PlanNamesView> {
      assertCanReadPlans(actor);
      return inReadTransaction(database, (repositories) => repositories.planEdits.listNames());
    },

    /** A task's history across its versions, each change as a sentence naming the round it applies from. */
    async history(actor: Actor, taskId: number): Promise<TaskHistoryEntryView[]> {
      assertCanReadPlans(actor);
      return inReadTransaction(database, async (repositories) => {
        const task = await repositories.planEdits.findTask(taskId);
        if (!task) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
        const [revisions, rounds, timeZone] = await Promise.all([
          repositories.planEdits.listRevisionsOfLineage(task.lineage ?? task.id),
          repositories.planEdits.listRoundOpenings(task.plan_id),
          timeZoneIn(repositories, deps.timeZone ?? DEFAULT_TIME_ZONE),
        ]);
        return revisions
          .filter((revision) => revision.plan_id === task.plan_id)
          .map((revision) => {
            const appliesFrom = rounds.find((round) => round.id > (revision.last_round_id ?? 0))?.label ?? null;
            const changes = JSON.parse(revision.changes) as RevisionChange[];
            return {
              at: revision.at,
              author: revision.author_name,
              reason: revision.reason,
              kind: revision.kind,
              appliesFrom,
              sentence: historySentence(
                { kind: revision.kind, changes, author: revision.author_name, at: revision.at, reason: revision.reason },
                appliesFrom,
                timeZone,
              ),
            };
          });
      });
    },

    /** 我的填报 across plans: every open round of every plan not archived in which the unit has tasks, by plan. */
    async openRoundsOfUnit(actor: Actor, unitId: number): Promise<UnitOpenRoundsView> {
      assertCanReadUnit(actor, unitId, '查看填报任务');
      return inReadTransaction(database, async (repositories) => {
        const rows = await repositories.planEdits.listOpenRoundsOfUnit(unitId);
        const plans: UnitOpenRoundsView['plans'] = [];
        for (const row of rows) {
          let plan = plans.find((p) => p.planId === row.planId);
          if (!plan) plans.push((plan = { planId: row.planId, planTitle: row.planTitle, rounds: [] }));
          plan.rounds.push({ id: row.roundId, label: row.label, deadline: row.deadline, state: row.state });
        }
        return { plans };
      });
    },
  };
}

export type PlanEditService = ReturnType<typeof createPlanEditService>;

function shortText(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

/** A revision in a few words, for a conflict message: the fields it changed, or what it did. */
function describeRevision(revision: RevisionRow): string {
  if (revision.kind === 'task.retire') return '撤销';
  if (revision.kind === 'task.add') return '新增';
  const changes = JSON.parse(revision.changes) as RevisionChange[];
  return changes.map(describeChange).join('；');
}

function requiredReason(reason: string): string {
  return requiredText(reason, 'reason', '修改原因', PlanEditLimits.reason.max);
}

function requiredText(value: string, field: string, label: string, max: number): string {
  const text = stripControlCharacters(value).trim();
  if (!text) throw invalid(`${field}_required`, `请填写${label}`, { field });
  if (text.length > max) throw invalid(`${field}_too_long`, `${label}不能超过 ${max} 字（现为 ${text.length} 字）`, { field, max });
  return text;
}

function optionalText(value: string | null | undefined, field: string, label: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const text = stripControlCharacters(value).trim();
  if (!text) return null;
  if (text.length > max) throw invalid(`${field}_too_long`, `${label}不能超过 ${max} 字（现为 ${text.length} 字）`, { field, max });
  return text;
}

function definedOnly(input: TaskChangeInput): Partial<TaskState> {
  const out: Partial<TaskState> = {};
  if (input.text !== undefined) out.text = input.text;
  if (input.leadDepartment !== undefined) out.leadDepartment = input.leadDepartment;
  if (input.leaders !== undefined) out.leaders = input.leaders;
  if (input.units !== undefined) out.units = input.units;
  if (input.due !== undefined) out.due = input.due;
  return out;
}

/** A task's fields as typed, cleaned: names normalised as the importer stores them, empty text refused. */
function taskFields(input: Omit<TaskState, 'sectionId'>): Omit<TaskState, 'sectionId'> {
  const text = requiredText(input.text, 'text', '任务内容', TaskLimits.text.max);
  const leadDepartment = input.leadDepartment === null ? null : normaliseName(input.leadDepartment) || null;
  return {
    text,
    leadDepartment,
    leaders: input.leaders.map(normaliseName).filter(Boolean),
    units: input.units.map((unit) => ({ name: normaliseName(unit.name), role: unit.role })).filter((unit) => unit.name),
    due: optionalText(input.due, 'due', '完成时限', TaskLimits.due.max),
  };
}

function checkedState(state: TaskState): TaskState {
  if (state.units.length === 0) throw invalid('units_required', '任务至少要有一个责任单位', { field: 'units' });
  if (state.units.length > PlanEditLimits.names.max || state.leaders.length > PlanEditLimits.names.max)
    throw invalid('too_many_names', `一项任务最多 ${PlanEditLimits.names.max} 个责任单位或牵头领导`, { field: 'units' });
  const twice = state.units.map((u) => u.name).filter((name, index, all) => all.indexOf(name) !== index);
  if (twice.length > 0) throw invalid('unit_twice', `责任单位重复：${[...new Set(twice)].join('、')}`, { field: 'units', names: twice });
  const leadersTwice = state.leaders.filter((name, index, all) => all.indexOf(name) !== index);
  if (leadersTwice.length > 0)
    throw invalid('leader_twice', `牵头领导重复：${[...new Set(leadersTwice)].join('、')}`, { field: 'leaders', names: leadersTwice });
  // The lead unit first, as the importer stores them.
  return { ...state, units: [...state.units.filter((u) => u.role === 'lead'), ...state.units.filter((u) => u.role === 'co')] };
}

function diff(before: TaskState, after: TaskState): RevisionChange[] {
  const changes: RevisionChange[] = [];
  if (before.text !== after.text) changes.push({ field: 'text', from: before.text, to: after.text });
  if (before.leadDepartment !== after.leadDepartment) changes.push({ field: 'leadDepartment', from: before.leadDepartment, to: after.leadDepartment });
  if (JSON.stringify(before.leaders) !== JSON.stringify(after.leaders)) changes.push({ field: 'leaders', from: before.leaders, to: after.leaders });
  if (JSON.stringify(before.units) !== JSON.stringify(after.units)) changes.push({ field: 'units', from: before.units, to: after.units });
  if (before.due !== after.due) changes.push({ field: 'due', from: before.due, to: after.due });
  return changes;
}
