import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type ApiAnswer } from '../../../lib/api.ts';

type ReturnedTableView = ApiAnswer<'/api/rounds/{roundId}/units/{unitId}/returned-table', 'post'>;
import { todoKeys } from './todo.ts';

/** The form both modes send: the versions (apply only) before the file, as the server reads them. */
function formOf(file: File, expectedVersions?: Record<number, number>): FormData {
  const form = new FormData();
  if (expectedVersions) form.append('expectedVersions', JSON.stringify(expectedVersions));
  form.append('file', file, file.name);
  return form;
}

const upload = (roundId: number, unitId: number, mode: 'preview' | 'apply', form: FormData) =>
  api.upload('/api/rounds/{roundId}/units/{unitId}/returned-table', form, { params: { path: { roundId, unitId }, query: { mode } } });

/** Reads the returned table and compares it with the stored answers; stores nothing. */
export function usePreviewReturnedTable(roundId: number, unitId: number) {
  return useMutation({
    mutationFn: (file: File) => upload(roundId, unitId, 'preview', formOf(file)),
  });
}

/** Writes the changed and new texts as drafts, if no answer moved since the preview; then the to-do list reloads. */
export function useApplyReturnedTable(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, preview }: { file: File; preview: ReturnedTableView }) =>
      upload(roundId, unitId, 'apply', formOf(file, Object.fromEntries(preview.items.map((item) => [item.taskId, item.version])))),
    onSuccess: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}
