import { useQuery } from '@tanstack/react-query';
import type { OrganisationProfileView } from '../../domain/api/organisation-profile.ts';
import { NEUTRAL_WORDS, type OrganisationWords } from '../../domain/organisation-profile.ts';
import { api } from './api.ts';
import { setDepartmentTimeZone } from './format.ts';

/**
 * The organisation profile as every page reads it (issue 14): its words (局领导, 科室 …)
 * for labels, and its time zone for every date shown. Read once behind the login guard (AppLayout
 * waits for it); the admin's 单位信息 page shares the key, so a save updates every label.
 */
export const organisationKey = ['organisation-profile'] as const;

async function fetchOrganisation(): Promise<OrganisationProfileView> {
  const view = await api.GET('/api/organisation-profile');
  setDepartmentTimeZone(view.timeZone);
  return view;
}

export function useOrganisation(enabled = true) {
  return useQuery({ queryKey: organisationKey, queryFn: fetchOrganisation, staleTime: 5 * 60_000, enabled });
}

/** The organisation's words; neutral (领导, 单位) until read or when the session may not read them yet. */
export function useWords(): OrganisationWords {
  return useOrganisation().data?.words ?? NEUTRAL_WORDS;
}

/**
 * A workflow label written with the seed's unit word (处室已审核, 处室负责人: the domain's labels) in
 * the organisation's (科室已审核 in a bureau; 单位已审核 with no profile).
 */
export function inUnitWord(label: string, words: Pick<OrganisationWords, 'unit'>): string {
  return label.replaceAll('处室', words.unit);
}
