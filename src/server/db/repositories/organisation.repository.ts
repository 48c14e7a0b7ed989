import type { Kysely } from 'kysely';
import { isCollectiveUnitName } from '../../../domain/collective-units.ts';
import type { DB } from '../schema.ts';
import { batches } from './batch.ts';

type NamedTable = 'units' | 'leaders' | 'departments';

/** Units, their aliases, leaders and provincial lead departments: the names plans refer to. */
export function createOrganisationRepository(db: Kysely<DB>) {
  /**
   * Inserts the names not stored yet and returns every name's id. Names are stored exactly
   * as given (readers normalise them); a concurrent insert of the same name is no error.
   */
  async function upsertNames(table: NamedTable, names: readonly string[], now: string): Promise<Map<string, number>> {
    const distinct = [...new Set(names)];
    for (const batch of batches(distinct))
      await db
        .insertInto(table)
        // A new unit named like 各处(室) or 直属单位 is marked collective (012): nobody logs in for it.
        .values(
          batch.map((name) => (table === 'units' ? { name, created_at: now, collective: isCollectiveUnitName(name) ? 1 : 0 } : { name, created_at: now })),
        )
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
    return findIdsByName(table, distinct);
  }

  async function findIdsByName(table: NamedTable, names: readonly string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const batch of batches([...new Set(names)])) {
      const rows = await db.selectFrom(table).select(['id', 'name']).where('name', 'in', batch).execute();
      for (const row of rows) ids.set(row.name, row.id);
    }
    return ids;
  }

  return {
    upsertUnitsByName: (names: readonly string[], now: string) => upsertNames('units', names, now),
    upsertLeadersByName: (names: readonly string[], now: string) => upsertNames('leaders', names, now),
    upsertDepartmentsByName: (names: readonly string[], now: string) => upsertNames('departments', names, now),

    /** The unit each of these aliases already names, for the aliases that are stored. */
    async findUnitsOfAliases(aliases: readonly string[]): Promise<Map<string, { unitId: number; unitName: string }>> {
      const found = new Map<string, { unitId: number; unitName: string }>();
      for (const batch of batches([...new Set(aliases)])) {
        const rows = await db
          .selectFrom('unit_aliases')
          .innerJoin('units', 'units.id', 'unit_aliases.unit_id')
          .select(['unit_aliases.alias', 'units.id as unitId', 'units.name as unitName'])
          .where('unit_aliases.alias', 'in', batch)
          .execute();
        for (const row of rows) found.set(row.alias, { unitId: row.unitId, unitName: row.unitName });
      }
      return found;
    },

    /** Adds aliases not stored yet; an alias already stored keeps its unit. */
    async insertUnitAliases(rows: readonly { alias: string; unitId: number }[], now: string): Promise<void> {
      for (const batch of batches(rows))
        await db
          .insertInto('unit_aliases')
          .values(batch.map((row) => ({ alias: row.alias, unit_id: row.unitId, created_at: now })))
          .onConflict((conflict) => conflict.column('alias').doNothing())
          .execute();
    },

    async listUnits(): Promise<{ id: number; name: string; phone: string | null; collective: boolean }[]> {
      const rows = await db.selectFrom('units').select(['id', 'name', 'phone', 'collective']).orderBy('id').execute();
      return rows.map((row) => ({ ...row, collective: Number(row.collective) === 1 }));
    },

    /** Every collective unit's member units, in their order (migration 012). */
    async listCollectiveMemberships(): Promise<{ unitId: number; memberId: number; memberName: string }[]> {
      return db
        .selectFrom('collective_unit_members')
        .innerJoin('units', 'units.id', 'collective_unit_members.member_unit_id')
        .select(['collective_unit_members.unit_id as unitId', 'units.id as memberId', 'units.name as memberName'])
        .orderBy('collective_unit_members.unit_id')
        .orderBy('collective_unit_members.position')
        .execute();
    },

    /** Marks a unit collective (各处(室) …) or not (012); returns 1 if the unit exists. */
    /** What stands against marking a unit collective: its accounts, and the collective units it answers for. */
    async findCollectiveMarkObstacles(unitId: number): Promise<{ accounts: number; memberOf: string[] }> {
      const [accounts, memberOf] = await Promise.all([
        db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('unit_id', '=', unitId)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('collective_unit_members')
          .innerJoin('units', 'units.id', 'collective_unit_members.unit_id')
          .select('units.name')
          .where('collective_unit_members.member_unit_id', '=', unitId)
          .orderBy('units.name')
          .execute(),
      ]);
      return { accounts: Number(accounts.n), memberOf: memberOf.map((row) => row.name) };
    },

    /** A unit that is no longer collective stands for nobody: its member list goes with the mark. */
    async clearCollectiveMembers(unitId: number): Promise<number> {
      const result = await db.deleteFrom('collective_unit_members').where('unit_id', '=', unitId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async setUnitCollective(unitId: number, collective: boolean): Promise<number> {
      const result = await db
        .updateTable('units')
        .set({ collective: collective ? 1 : 0 })
        .where('id', '=', unitId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Adds one unit (the system admin's screen); a taken name is a unique violation for the caller. */
    async insertUnit(name: string, phone: string | null, now: string): Promise<number> {
      const row = await db
        .insertInto('units')
        .values({ name, phone, created_at: now, collective: isCollectiveUnitName(name) ? 1 : 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Sets a unit's contact phone; returns 1 if the unit exists. */
    async setUnitPhone(unitId: number, phone: string | null): Promise<number> {
      const result = await db.updateTable('units').set({ phone }).where('id', '=', unitId).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Sets a unit's contact phone where it has none: demo data never overwrites a real number. */
    async setUnitPhoneIfMissing(unitId: number, phone: string): Promise<void> {
      await db.updateTable('units').set({ phone }).where('id', '=', unitId).where('phone', 'is', null).execute();
    },

    async listUnitAliases(): Promise<{ alias: string; unitName: string }[]> {
      return db
        .selectFrom('unit_aliases')
        .innerJoin('units', 'units.id', 'unit_aliases.unit_id')
        .select(['unit_aliases.alias', 'units.name as unitName'])
        .orderBy('unit_aliases.alias')
        .execute();
    },
  };
}

export type OrganisationRepository = ReturnType<typeof createOrganisationRepository>;
