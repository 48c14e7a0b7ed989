import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { SettingsTable } from '../schema-accounts.ts';

/** Settings an admin changes at run time (JSON values by key), over the configuration's defaults. */
export function createSettingsRepository(db: Kysely<DB>) {
  return {
    async findSetting(key: string): Promise<SettingsTable | undefined> {
      return db.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst();
    },

    async putSetting(key: string, value: string, now: string, by: string): Promise<void> {
      await db
        .insertInto('settings')
        .values({ key, value, updated_at: now, updated_by: by })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value, updated_at: now, updated_by: by }))
        .execute();
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
