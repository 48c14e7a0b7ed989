import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import { autoId } from './dialect-helpers.ts';

/**
 * The organisations registry (issue 14, docs/decisions/028): every organisation of the
 * deployment, each with its own store (an SQLite file, or a PostgreSQL schema). The table is
 * read in the home store only; every store runs every migration, so the other stores hold it
 * empty. `code` is the short latin slug people type at login (`demo-city`); `store` names the
 * organisation's store relative to the home one (`org-2`). The home organisation is id 1.
 *
 * The account roles of issue 14 join the users table's role check: `platform_admin` (this
 * decision) and `supervisor` (the province roll-up, decision 030), so one migration widens it.
 */
const OLD_ROLES = ['office', 'reporter', 'unit_head', 'leader', 'system_admin', 'security_admin', 'audit_admin'];
const NEW_ROLES = [...OLD_ROLES, 'platform_admin', 'supervisor'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await setRoleCheck(db, OLD_ROLES, NEW_ROLES);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setRoleCheck(db, NEW_ROLES, OLD_ROLES);
  await db.schema.dropTable('organisations').execute();
}

const roleList = (roles: string[]) => roles.map((role) => `'${role}'`).join(', ');

/**
 * Replaces the users table's `role in (…)` check. PostgreSQL alters the constraint. SQLite cannot
 * alter a check, so the table is rebuilt under the same name from its own stored definition:
 * copied aside, dropped, created with the new list, filled back, its indexes and triggers made
 * again. Foreign keys from sessions, history and the rest name the table, not its storage, and are
 * deferred to the commit, by when every referenced row is back with its id.
 */
async function setRoleCheck(db: Kysely<unknown>, from: string[], to: string[]): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ name: string }>`
      select conname as name from pg_constraint
      where conrelid = 'users'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%audit_admin%'
    `.execute(db);
    for (const { name } of rows) await sql`alter table users drop constraint ${sql.id(name)}`.execute(db);
    await sql`alter table users add constraint users_role_check check (role in (${sql.raw(roleList(to))}))`.execute(db);
    return;
  }
  // The deferred foreign keys need one transaction around the rebuild (the migrator gives one; a direct call gets its own).
  if (!db.isTransaction) return db.transaction().execute((trx) => setRoleCheck(trx, from, to));
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'users'`.execute(db);
  const definition = table.rows[0]?.sql;
  const old = `role in (${roleList(from)})`;
  if (!definition?.includes(old)) throw new Error(`users table without the expected role check (${old})`);
  const dependents = await sql<{
    sql: string;
  }>`select sql from sqlite_master where tbl_name = 'users' and type in ('index', 'trigger') and sql is not null`.execute(db);
  await sql`pragma defer_foreign_keys = on`.execute(db);
  await sql`create table users_rebuild as select * from users`.execute(db);
  await sql`drop table users`.execute(db);
  await sql.raw(definition.replace(old, `role in (${roleList(to)})`)).execute(db);
  await sql`insert into users select * from users_rebuild`.execute(db);
  await sql`drop table users_rebuild`.execute(db);
  for (const { sql: statement } of dependents.rows) await sql.raw(statement).execute(db);
}
