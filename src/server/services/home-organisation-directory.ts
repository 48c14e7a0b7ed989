import type { Database } from '../db/database.ts';
import { inReadTransaction } from '../db/transaction.ts';
import type { OrganisationRecord, ProvinceDirectory } from './province.service.ts';

/**
 * The deployment as one organisation, its own store: what the roll-up reads until organisations
 * are tenants (the organisation directory, src/server/organisations/directory.ts, replaces it
 * in the composition). Named by the organisation profile's full name.
 */
export function homeOrganisationDirectory(database: Database): ProvinceDirectory {
  return {
    async list(): Promise<OrganisationRecord[]> {
      const profile = await inReadTransaction(database, (repositories) => repositories.organisationProfile.findProfile());
      return [{ id: 1, code: 'home', name: profile?.profile.fullName || '本单位', archivedAt: null, home: true }];
    },
    async databaseOf(): Promise<Database> {
      return database;
    },
  };
}
