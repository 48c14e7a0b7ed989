import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PlanTreeView } from '../../../../domain/api/plan-view.ts';
import type { ProgressStatus } from '../../../../domain/limits.ts';
import { api, queryParams, type ApiBody } from '../../../lib/api.ts';

export interface TreeFilters {
  roundId: number | null;
  unitId: number | null;
  leader: string | null;
  department: string | null;
  status: ProgressStatus | null;
  unanswered: boolean;
  q: string | null;
}

export const treeKeys = {
  tree: (planId: number, filters: TreeFilters) => ['plans', planId, 'tree', filters] as const,
  task: (taskId: number) => ['tasks', taskId] as const,
  instructions: (taskId: number) => ['tasks', taskId, 'instructions'] as const,
};

export function usePlanTree(planId: number | null, filters: TreeFilters) {
  return useQuery({
    queryKey: treeKeys.tree(planId ?? 0, filters),
    queryFn: ({ signal }) => api.GET('/api/plans/{planId}/tree', { params: { path: { planId: planId! }, query: queryParams({ ...filters }) }, signal }),
    enabled: planId !== null,
    placeholderData: keepPreviousData,
  });
}

export function useTask(taskId: number) {
  return useQuery({ queryKey: treeKeys.task(taskId), queryFn: () => api.GET('/api/tasks/{taskId}', { params: { path: { taskId } } }) });
}

/** A task's 批示 with each unit's 落实反馈 under it. */
export function useTaskInstructions(taskId: number) {
  return useQuery({
    queryKey: treeKeys.instructions(taskId),
    queryFn: () => api.GET('/api/tasks/{taskId}/instructions', { params: { path: { taskId } } }),
  });
}

export function useAddInstruction(taskId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiBody<'/api/tasks/{taskId}/instructions', 'post'>) =>
      api.POST('/api/tasks/{taskId}/instructions', { params: { path: { taskId } }, body: input }),
    // ['tasks', id] is a prefix of the instructions' key: both refresh.
    onSuccess: () => client.invalidateQueries({ queryKey: treeKeys.task(taskId) }),
  });
}

/** Lists for the filter selects, read off the unfiltered tree: units, leaders, lead departments. */
export function filterOptionsOf(tree: PlanTreeView | undefined) {
  const units = new Map<number, string>();
  const leaders = new Set<string>();
  const departments = new Set<string>();
  for (const chapter of tree?.chapters ?? [])
    for (const section of chapter.sections)
      for (const task of section.tasks) {
        for (const unit of task.units) units.set(unit.id, unit.name);
        for (const leader of task.leaders) leaders.add(leader);
        if (task.leadDepartment) departments.add(task.leadDepartment);
      }
  const collator = new Intl.Collator('zh-CN');
  return {
    units: [...units].map(([id, name]) => ({ value: id, label: name })).sort((a, b) => collator.compare(a.label, b.label)),
    leaders: [...leaders].sort(collator.compare).map((name) => ({ value: name, label: name })),
    departments: [...departments].sort(collator.compare).map((name) => ({ value: name, label: name })),
  };
}
