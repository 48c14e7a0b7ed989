import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type ApiAnswer } from '../../../lib/api.ts';

type ReturnedTableView = ApiAnswer<'/api/rounds/{roundId}/units/{unitId}/returned-table', 'post'>;
import { todoKeys } from './todo.ts';

/** Both modes send the file; apply also the versions the preview showed, before it (the server reads them first). */
const upload = (roundId: number, unitId: number, mode: 'preview' | 'apply', file: File, expectedVersions?: Record<number, number>) =>
  api.upload('/api/rounds/{roundId}/units/{unitId}/returned-table', {
    params: { path: { roundId, unitId }, query: { mode } },
    body: { ...(expectedVersions ? { expectedVersions: JSON.stringify(expectedVersions) } : {}), file },
  });

/** Reads the returned table and compares it with the stored answers; stores nothing. */
export function usePreviewReturnedTable(roundId: number, unitId: number) {
  return useMutation({
    mutationFn: (file: File) => upload(roundId, unitId, 'preview', file),
  });
}

/** Writes the changed and new texts as drafts, if no answer moved since the preview; then the to-do list reloads. */
export function useApplyReturnedTable(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, preview }: { file: File; preview: ReturnedTableView }) =>
      upload(roundId, unitId, 'apply', file, Object.fromEntries(preview.items.map((item) => [item.taskId, item.version]))),
    onSuccess: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}
