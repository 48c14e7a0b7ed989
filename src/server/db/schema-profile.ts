import type { Selectable } from 'kysely';

/** Table types of migration `018_organisation_profile` (docs/decisions/027). */
export interface ProfileTables {
  organisation_profile: OrganisationProfileTable;
}

/** The deployment's organisation: one row, id 1 (the organisation's id once there are tenants). */
export interface OrganisationProfileTable {
  id: number;
  full_name: string;
  office_name: string;
  issuer_mark: string;
  /** JSON array of 机关代字, the usual first. */
  doc_prefixes: string;
  leader_word: string;
  /** JSON array of unit words (处, 室 …), the usual first. */
  unit_words: string;
  time_zone: string | null;
  /** admin | cli | import | demo */
  source: string;
  updated_at: string;
  updated_by: string;
}

export type OrganisationProfileRow = Selectable<OrganisationProfileTable>;
