import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';
import { planKeys } from '../../../lib/queries.ts';

/** What a task form sends: every field, the unit roles told apart (the new task's body without its reason). */
export type TaskFormValues = Omit<ApiBody<'/api/sections/{sectionId}/tasks', 'post'>, 'reason'>;

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
    queryFn: () => api.GET('/api/plans', { params: { query: withArchived ? { archived: '1' } : {} } }),
  });
}

export function usePlanStructure(planId: number | null) {
  return useQuery({
    queryKey: editKeys.structure(planId ?? 0),
    queryFn: () => api.GET('/api/plans/{planId}/structure', { params: { path: { planId: planId! } } }),
    enabled: planId !== null,
  });
}

export function usePlanNames() {
  return useQuery({ queryKey: editKeys.names, queryFn: () => api.GET('/api/plan-names'), staleTime: 60_000 });
}

export function useTaskHistory(taskId: number) {
  return useQuery({ queryKey: editKeys.history(taskId), queryFn: () => api.GET('/api/tasks/{taskId}/history', { params: { path: { taskId } } }) });
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

function send(change: PlanChange) {
  switch (change.kind) {
    case 'createPlan':
      return api.POST('/api/plans', { body: { title: change.title, docNumber: change.docNumber } });
    case 'copyPlan':
      return api.POST('/api/plans/{planId}/copy', { params: { path: { planId: change.planId } }, body: { title: change.title, docNumber: change.docNumber } });
    case 'archivePlan':
      return api.POST('/api/plans/{planId}/archive', { params: { path: { planId: change.planId } }, body: { reason: change.reason } });
    case 'addChapter':
      return api.POST('/api/plans/{planId}/chapters', { params: { path: { planId: change.planId } }, body: { title: change.title, reason: change.reason } });
    case 'addSection':
      return api.POST('/api/chapters/{chapterId}/sections', {
        params: { path: { chapterId: change.chapterId } },
        body: { title: change.title, reason: change.reason },
      });
    case 'heading': {
      const body = { ...(change.title !== undefined ? { title: change.title } : {}), ...(change.retire ? { retire: true } : {}), reason: change.reason };
      return change.level === 'chapter'
        ? api.PATCH('/api/chapters/{chapterId}', { params: { path: { chapterId: change.id } }, body })
        : api.PATCH('/api/sections/{sectionId}', { params: { path: { sectionId: change.id } }, body });
    }
    case 'addTask':
      return api.POST('/api/sections/{sectionId}/tasks', {
        params: { path: { sectionId: change.sectionId } },
        body: { ...change.values, reason: change.reason },
      });
    case 'editTask':
      return api.PATCH('/api/tasks/{taskId}', {
        params: { path: { taskId: change.taskId } },
        body: { ...change.values, version: change.version, reason: change.reason },
      });
    case 'moveTask':
      return api.POST('/api/tasks/{taskId}/move', {
        params: { path: { taskId: change.taskId } },
        body: { sectionId: change.sectionId, version: change.version, reason: change.reason },
      });
    case 'retireTask':
      return api.POST('/api/tasks/{taskId}/retire', { params: { path: { taskId: change.taskId } }, body: { version: change.version, reason: change.reason } });
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
