import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { OrganisationRow } from '../schema-organisations.ts';

/** What a store holds, counted for the platform administrator's list (no business data read). */
export type StoreCounts = { accounts: number; plans: number; rounds: number };

/**
 * The organisations registry (migration 019, read in the home store) and the counts of one
 * store. Decision 028: every organisation's rows live in its own store, so nothing here
 * filters by organisation.
 */
export function createOrganisationsRepository(db: Kysely<DB>) {
  return {
    async listOrganisations(): Promise<OrganisationRow[]> {
      return db.selectFrom('organisations').selectAll().orderBy('id').execute();
    },

    async findOrganisationById(id: number): Promise<OrganisationRow | undefined> {
      return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findOrganisationByCode(code: string): Promise<OrganisationRow | undefined> {
      return db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirst();
    },

    /**
     * The home organisation's row, made when the registry is empty: as the table's first row it
     * gets id 1 on both engines (an explicit id would leave PostgreSQL's identity behind).
     */
    async ensureHomeOrganisation(input: { code: string; name: string; now: string; by: string }): Promise<void> {
      const any = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
      if (any) return;
      await db
        .insertInto('organisations')
        .values({ code: input.code, name: input.name, store: 'home', created_at: input.now, created_by: input.by, archived_at: null })
        .onConflict((conflict) => conflict.column('code').doNothing())
        .execute();
    },

    /** Inserts an organisation and names its store after its id (`org-<id>`); returns the id. */
    async insertOrganisation(input: { code: string; name: string; now: string; by: string }): Promise<number> {
      const { id } = await db
        .insertInto('organisations')
        .values({ code: input.code, name: input.name, store: 'pending', created_at: input.now, created_by: input.by, archived_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .updateTable('organisations')
        .set({ store: `org-${id}` })
        .where('id', '=', id)
        .execute();
      return id;
    },

    async deleteOrganisation(id: number): Promise<void> {
      await db.deleteFrom('organisations').where('id', '=', id).execute();
    },

    /** Archives an active organisation; 0 when it is archived already or does not exist. */
    async archiveOrganisation(id: number, now: string): Promise<number> {
      const result = await db.updateTable('organisations').set({ archived_at: now }).where('id', '=', id).where('archived_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Accounts, plans and rounds of the store this handle reads. */
    async storeCounts(): Promise<StoreCounts> {
      const { rows } = await sql<{ accounts: number | string; plans: number | string; rounds: number | string }>`
        select (select count(*) from users) as accounts, (select count(*) from plans) as plans, (select count(*) from rounds) as rounds
      `.execute(db);
      const row = rows[0]!;
      return { accounts: Number(row.accounts), plans: Number(row.plans), rounds: Number(row.rounds) };
    },
  };
}
