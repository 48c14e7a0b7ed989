import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditSort } from '../../../../domain/api/audit-view.ts';
import { api, ApiError, queryParams, queryString } from '../../../lib/api.ts';

/** The audit admin's filters, as kept in the page's URL. */
export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  user?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  result?: string | undefined;
}

export interface AuditListParams extends AuditFilter {
  sort: AuditSort;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export function useAuditEvents(params: AuditListParams) {
  return useQuery({
    queryKey: ['audit', params],
    queryFn: ({ signal }) => api.GET('/api/audit', { params: { query: queryParams({ ...params }) }, signal }),
    placeholderData: keepPreviousData,
    // Each query of the log is audited (audit.read): it runs when the admin asks (a filter, a page,
    // 刷新), not whenever the window regains focus.
    refetchOnWindowFocus: false,
  });
}

export function useAuditVocabulary() {
  return useQuery({
    queryKey: ['audit', 'vocabulary'],
    queryFn: ({ signal }) => api.GET('/api/audit/vocabulary', { signal }),
    staleTime: 60_000,
  });
}

/**
 * Downloads the CSV of the filtered log. Fetched (not a plain link) so a refusal — too many
 * rows, too many exports this minute — shows the server's message instead of a JSON page.
 */
export async function downloadAuditCsv(filter: AuditFilter): Promise<void> {
  const response = await fetch(`/api/audit/export${queryString({ ...filter })}`, { credentials: 'same-origin' });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? response.statusText);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : 'audit.csv';
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
