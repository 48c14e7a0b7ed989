import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReturnedTableView } from '../../../../domain/api/returned-table-view.ts';
import { api } from '../../../lib/api.ts';
import { todoKeys } from './todo.ts';

/** The form both modes send: the versions (apply only) before the file, as the server reads them. */
function formOf(file: File, expectedVersions?: Record<number, number>): FormData {
  const form = new FormData();
  if (expectedVersions) form.append('expectedVersions', JSON.stringify(expectedVersions));
  form.append('file', file, file.name);
  return form;
}

const path = (roundId: number, unitId: number, mode: 'preview' | 'apply') => `/api/rounds/${roundId}/units/${unitId}/returned-table?mode=${mode}`;

/** Reads the returned table and compares it with the stored answers; stores nothing. */
export function usePreviewReturnedTable(roundId: number, unitId: number) {
  return useMutation({
    mutationFn: (file: File) => api.upload<ReturnedTableView>(path(roundId, unitId, 'preview'), formOf(file)),
  });
}

/** Writes the changed and new texts as drafts, if no answer moved since the preview; then the to-do list reloads. */
export function useApplyReturnedTable(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, preview }: { file: File; preview: ReturnedTableView }) =>
      api.upload<ReturnedTableView>(path(roundId, unitId, 'apply'), formOf(file, Object.fromEntries(preview.items.map((item) => [item.taskId, item.version])))),
    onSuccess: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}
