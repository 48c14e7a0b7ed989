import type { Database } from '../db/database.ts';
import type { OrganisationRecord } from './directory.ts';
import type { ProvinceDirectory } from './province.service.ts';

/**
 * For tests: an organisation directory over stores the test opened itself (one database each),
 * listed in the order given (the home organisation first), until the real directory
 * (src/server/organisations/directory.ts) replaces it.
 */
export function testDirectory(stores: readonly { code: string; name: string; database: Database; archivedAt?: string | null }[]): ProvinceDirectory {
  const records: OrganisationRecord[] = stores.map((store, index) => ({
    id: index + 1,
    code: store.code,
    name: store.name,
    archivedAt: store.archivedAt ?? null,
    home: index === 0,
  }));
  return {
    list: async () => records,
    async databaseOf(id) {
      const store = stores[id - 1];
      if (!store) throw new Error(`no organisation ${id}`);
      return store.database;
    },
  };
}
