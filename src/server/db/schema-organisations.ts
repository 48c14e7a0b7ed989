import type { Generated, Selectable } from 'kysely';

/** Table types of migration `019_organisations` (docs/decisions/028). */
export interface OrganisationTables {
  organisations: OrganisationsTable;
}

/** One organisation of the deployment (read in the home store only). */
export interface OrganisationsTable {
  id: Generated<number>;
  /** Short latin slug typed at login: `home`, `demo-city`. */
  code: string;
  name: string;
  /** Its store relative to the home store: `home`, `org-2`. */
  store: string;
  created_at: string;
  created_by: string;
  archived_at: string | null;
}

export type OrganisationRow = Selectable<OrganisationsTable>;
