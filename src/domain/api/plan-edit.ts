/** Plan editing (issue 14, docs/decisions/029-plan-revisions.md). */

/** A task as the editor sees it: its current version. */
export interface EditableTaskView {
  id: number;
  /** The id every version of this task shares. */
  lineage: number;
  /** 第 N 项 among the plan's current tasks; 0 for a withdrawn one. */
  position: number;
  text: string;
  leadDepartment: string | null;
  leaders: string[];
  units: { name: string; role: 'lead' | 'co' }[];
  due: string | null;
  /** Name it in the next edit: a stale one is refused. */
  version: number;
  /** 已撤销: in no future round. */
  retired: boolean;
}

/** GET /api/plans/:planId/structure: the plan as it stands now, withdrawn parts struck. */
export interface PlanStructureView {
  plan: { id: number; title: string; docNumber: string | null; archivedAt: string | null };
  chapters: {
    id: number;
    number: number;
    title: string;
    retired: boolean;
    sections: { id: number; number: number; title: string; retired: boolean; tasks: EditableTaskView[] }[];
  }[];
}

/** GET /api/plan-names: what a task can be given (names the organisation already knows). */
export interface PlanNamesView {
  units: string[];
  leaders: string[];
  departments: string[];
}

/** One change in a task's history, told as a sentence. */
export interface TaskHistoryEntryView {
  at: string;
  author: string;
  reason: string;
  kind: string;
  /** The round the change applies from (the first opened after it); null: 下一轮. */
  appliesFrom: string | null;
  sentence: string;
}

/** GET /api/units/:unitId/open-rounds: the unit's to-do across plans. */
export interface UnitOpenRoundsView {
  plans: { planId: number; planTitle: string; rounds: { id: number; label: string; deadline: string | null; state: string }[] }[];
}

/** What a change of a plan's structure gives back: where it stands now. */
export interface PlanChangeView {
  planId: number;
  /** The chapter, section or task (its current version) the change produced or acted on. */
  objectId: number;
  revisionId: number;
}
