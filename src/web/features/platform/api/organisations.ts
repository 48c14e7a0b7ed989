import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';

const organisationsKey = ['platform', 'organisations'] as const;

export const useOrganisations = () => useQuery({ queryKey: organisationsKey, queryFn: () => api.GET('/api/platform/organisations') });

export type NewOrganisation = ApiBody<'/api/platform/organisations', 'post'>;

/** Creating and archiving answer the organisation; the list is refetched. */
export function useOrganisationActions() {
  const client = useQueryClient();
  const done = () => void client.invalidateQueries({ queryKey: organisationsKey });
  return {
    create: useMutation({ mutationFn: (body: NewOrganisation) => api.POST('/api/platform/organisations', { body }), onSuccess: done }),
    archive: useMutation({
      mutationFn: (id: number) => api.POST('/api/platform/organisations/{organisationId}/archive', { params: { path: { organisationId: id } }, body: {} }),
      onSuccess: done,
    }),
  };
}
