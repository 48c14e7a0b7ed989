import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrganisationAdminView, OrganisationCreatedView } from '../../../../domain/api/organisation-view.ts';
import { api } from '../../../lib/api.ts';

const organisationsKey = ['platform', 'organisations'] as const;

export const useOrganisations = () => useQuery({ queryKey: organisationsKey, queryFn: () => api.get<OrganisationAdminView[]>('/api/platform/organisations') });

export interface NewOrganisation {
  code: string;
  name: string;
  adminUsername: string;
  adminName: string;
}

/** Creating and archiving answer the organisation; the list is refetched. */
export function useOrganisationActions() {
  const client = useQueryClient();
  const done = () => void client.invalidateQueries({ queryKey: organisationsKey });
  return {
    create: useMutation({ mutationFn: (body: NewOrganisation) => api.post<OrganisationCreatedView>('/api/platform/organisations', body), onSuccess: done }),
    archive: useMutation({ mutationFn: (id: number) => api.post<OrganisationAdminView>(`/api/platform/organisations/${id}/archive`), onSuccess: done }),
  };
}
