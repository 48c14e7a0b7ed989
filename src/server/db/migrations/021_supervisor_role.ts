import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';

/**
 * The province's supervisor (省级督查员, decision 030): `users.role` accepts 'supervisor'.
 *
 * Only the list of roles in the column's CHECK changes. The list is read from the database and
 * 'supervisor' added to it (not written out here), so a role another migration added before this
 * one (the platform administrator) stays allowed whichever order the migrations were written in.
 * PostgreSQL replaces the constraint; SQLite cannot alter a constraint, so the table is rebuilt
 * (copy aside, drop, create from the table's own stored definition with the new list, copy back,
 * indexes back, `foreign_key_check`): columns other migrations added are carried over as they are.
 */
const ROLE = 'supervisor';

export async function up(db: Kysely<unknown>): Promise<void> {
  await changeRoles(db, (roles) => (roles.includes(ROLE) ? roles : [...roles, ROLE]));
}

/** Refused by the constraint while a supervisor account exists: remove it first. On SQLite, run it inside a transaction (the migrator does). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await changeRoles(db, (roles) => roles.filter((role) => role !== ROLE));
}

/** The roles the users table allows, changed by `change`. */
async function changeRoles(db: Kysely<unknown>, change: (roles: string[]) => string[]): Promise<void> {
  if (dialectOf(db) === 'postgres') await changePostgres(db, change);
  else await changeSqlite(db, change);
}

const checkList = (roles: readonly string[]) => roles.map((role) => `'${role.replace(/'/g, "''")}'`).join(', ');

async function changePostgres(db: Kysely<unknown>, change: (roles: string[]) => string[]): Promise<void> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
    where conrelid = 'users'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%''audit_admin''%'
  `.execute(db);
  const constraint = rows.find((row) => !row.definition.includes('<> ALL'));
  if (!constraint) throw new Error('migration 021: the users table has no CHECK on its roles');
  const roles = change([...constraint.definition.matchAll(/'([a-z_]+)'::text/g)].map((match) => match[1]!));
  await sql`alter table users drop constraint ${sql.id(constraint.name)}`.execute(db);
  await sql`alter table users add constraint ${sql.id(constraint.name)} check (role in (${sql.raw(checkList(roles))}))`.execute(db);
}

async function changeSqlite(db: Kysely<unknown>, change: (roles: string[]) => string[]): Promise<void> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = 'users'
  `.execute(db);
  const table = rows.find((row) => row.type === 'table');
  const check = /check \(role in \(([^)]*)\)\)/i;
  const found = table?.sql?.match(check);
  if (!table?.sql || !found) throw new Error('migration 021: the users table has no CHECK on its roles');
  const roles = change([...found[1]!.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!));
  const rebuilt = table.sql.replace(check, `check (role in (${checkList(roles)}))`);
  // Indexes and triggers go with the dropped table; the automatic ones (unique) come back with it.
  const others = rows.filter((row) => row.type !== 'table' && row.sql !== null).map((row) => row.sql!);
  const columns = sql.join((await sql<{ name: string }>`select name from pragma_table_info('users')`.execute(db)).rows.map((row) => sql.id(row.name)));

  // The migrator runs this in a transaction, where `foreign_keys = off` would be ignored. Deferred
  // instead: dropping the table counts each session (…) left without its account, and putting
  // the same accounts back counts them off again, so the commit finds nothing broken.
  await sql`pragma defer_foreign_keys = on`.execute(db);
  await sql`create temporary table users_copy as select * from users`.execute(db);
  await sql`drop table users`.execute(db);
  await sql.raw(rebuilt).execute(db);
  await sql`insert into users (${columns}) select ${columns} from temp.users_copy`.execute(db);
  await sql`drop table temp.users_copy`.execute(db);
  for (const statement of others) await sql.raw(statement).execute(db);
  const broken = await sql`pragma foreign_key_check`.execute(db);
  if (broken.rows.length > 0) throw new Error(`migration 021: foreign keys broken by the rebuild: ${JSON.stringify(broken.rows)}`);
}
