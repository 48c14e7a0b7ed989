import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PlanChangeView, PlanNamesView, PlanStructureView, TaskHistoryEntryView } from '../../../../domain/api/plan-edit.ts';
import type { PlanSummaryView } from '../../../../domain/api/plan-view.ts';
import { api } from '../../../lib/api.ts';
import { planKeys } from '../../../lib/queries.ts';

/** What a task form sends: every field, the unit roles told apart. */
export interface TaskFormValues {
  text: string;
  leadDepartment: string | null;
  leaders: string[];
  units: { name: string; role: 'lead' | 'co' }[];
  due: string | null;
}

export const editKeys = {
  structure: (planId: number) => ['plans', planId, 'structure'] as const,
  names: ['plan-names'] as const,
  history: (taskId: number) => ['tasks', taskId, 'history'] as const,
  withArchived: ['plans', 'with-archived'] as const,
};

/** The plans, archived ones too when asked (the default list hides them). */
export function usePlanList(withArchived: boolean) {
  return useQuery({
    queryKey: withArchived ? editKeys.withArchived : planKeys.all,
    queryFn: () => api.get<PlanSummaryView[]>(withArchived ? '/api/plans?archived=1' : '/api/plans'),
  });
}

export function usePlanStructure(planId: number | null) {
  return useQuery({ queryKey: editKeys.structure(planId ?? 0), queryFn: () => api.get<PlanStructureView>(`/api/plans/${planId}/structure`), enabled: planId !== null });
}

export function usePlanNames() {
  return useQuery({ queryKey: editKeys.names, queryFn: () => api.get<PlanNamesView>('/api/plan-names'), staleTime: 60_000 });
}

export function useTaskHistory(taskId: number) {
  return useQuery({ queryKey: editKeys.history(taskId), queryFn: () => api.get<TaskHistoryEntryView[]>(`/api/tasks/${taskId}/history`) });
}

/** Every change of a plan: one request; afterwards every plan read (tree, list, structure) and task read is stale. */
export type PlanChange =
  | { kind: 'createPlan'; title: string; docNumber: string | null }
  | { kind: 'copyPlan'; planId: number; title: string; docNumber: string | null }
  | { kind: 'archivePlan'; planId: number; reason: string }
  | { kind: 'addChapter'; planId: number; title: string; reason: string }
  | { kind: 'addSection'; chapterId: number; title: string; reason: string }
  | { kind: 'heading'; level: 'chapter' | 'section'; id: number; title?: string; retire?: boolean; reason: string }
  | { kind: 'addTask'; sectionId: number; values: TaskFormValues; reason: string }
  | { kind: 'editTask'; taskId: number; version: number; values: Partial<TaskFormValues>; reason: string }
  | { kind: 'moveTask'; taskId: number; version: number; sectionId: number; reason: string }
  | { kind: 'retireTask'; taskId: number; version: number; reason: string };

function send(change: PlanChange): Promise<PlanChangeView> {
  switch (change.kind) {
    case 'createPlan':
      return api.post('/api/plans', { title: change.title, docNumber: change.docNumber });
    case 'copyPlan':
      return api.post(`/api/plans/${change.planId}/copy`, { title: change.title, docNumber: change.docNumber });
    case 'archivePlan':
      return api.post(`/api/plans/${change.planId}/archive`, { reason: change.reason });
    case 'addChapter':
      return api.post(`/api/plans/${change.planId}/chapters`, { title: change.title, reason: change.reason });
    case 'addSection':
      return api.post(`/api/chapters/${change.chapterId}/sections`, { title: change.title, reason: change.reason });
    case 'heading':
      return api.patch(`/api/${change.level === 'chapter' ? 'chapters' : 'sections'}/${change.id}`, {
        ...(change.title !== undefined ? { title: change.title } : {}),
        ...(change.retire ? { retire: true } : {}),
        reason: change.reason,
      });
    case 'addTask':
      return api.post(`/api/sections/${change.sectionId}/tasks`, { ...change.values, reason: change.reason });
    case 'editTask':
      return api.patch(`/api/tasks/${change.taskId}`, { ...change.values, version: change.version, reason: change.reason });
    case 'moveTask':
      return api.post(`/api/tasks/${change.taskId}/move`, { sectionId: change.sectionId, version: change.version, reason: change.reason });
    case 'retireTask':
      return api.post(`/api/tasks/${change.taskId}/retire`, { version: change.version, reason: change.reason });
  }
}

export function usePlanChange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['plans'] });
      void client.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
}
