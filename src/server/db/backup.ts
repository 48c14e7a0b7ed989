import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/**
 * The engine-level operations behind `diaodu backup` and `diaodu restore` (decision 011): SQLite's
 * `VACUUM INTO` and `PRAGMA integrity_check`, PostgreSQL's `pg_dump` / `pg_restore`. The backup
 * service decides what to do and audits it; this file knows how each engine does it.
 */

/** `sqlite:./x.db` → `./x.db`; `sqlite:///abs/x.db` → `/abs/x.db`; null for `sqlite::memory:`. */
export function sqliteFileOfUrl(url: string): string | null {
  const rest = url.slice('sqlite:'.length);
  const file = rest.startsWith('//') ? rest.slice(2) : rest;
  return file === ':memory:' || file === '' ? null : file;
}

/** What a backup file is, by its first bytes. */
export type BackupKind = 'sqlite' | 'postgres' | 'unknown';

export function backupKindOfHeader(header: Buffer): BackupKind {
  if (header.subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1'))) return 'sqlite';
  if (header.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------- SQLite

/**
 * Copies the database at `source` into the new file `target` with `VACUUM INTO`, through a
 * read-only connection of its own: one read transaction, so the copy is the snapshot of one
 * moment, and in WAL mode it takes no lock that stops the server's writers.
 */
export function sqliteVacuumInto(source: string, target: string): void {
  const connection = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    connection.pragma('busy_timeout = 5000');
    connection.prepare('VACUUM INTO ?').run(target);
  } finally {
    connection.close();
  }
}

/** `migrations`: null when the file has no `kysely_migration` table (not a diaodu database). */
export type SqliteFileCheck = { integrity: string[]; foreignKeyProblems: number; migrations: string[] | null; tables: number };

/** `PRAGMA integrity_check`, `PRAGMA foreign_key_check` and the migrations a database file holds. */
export function checkSqliteFile(file: string): SqliteFileCheck {
  const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (connection.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    const foreignKeyProblems = (connection.pragma('foreign_key_check') as unknown[]).length;
    const tables = (connection.prepare("select count(*) as n from sqlite_schema where type = 'table'").get() as { n: number }).n;
    const hasMigrations = connection.prepare("select 1 from sqlite_schema where type = 'table' and name = 'kysely_migration'").get() !== undefined;
    const migrations = hasMigrations
      ? (connection.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((row) => row.name)
      : null;
    return { integrity, foreignKeyProblems, migrations, tables };
  } finally {
    connection.close();
  }
}

/**
 * Whether SQLite's error says the file is damaged or no database at all (SQLITE_CORRUPT…,
 * SQLITE_NOTADB) — as opposed to a failure to read a sound file (busy, no permission, I/O).
 */
export function isSqliteDamage(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * True when nothing is stored at `file`: no file, an empty file, or an SQLite file without a
 * single table — and no write-ahead log with content beside it.
 */
export function sqliteTargetIsEmpty(file: string): boolean {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return false;
  if (!existsSync(file) || statSync(file).size === 0) return true;
  try {
    const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      return (connection.prepare('select count(*) as n from sqlite_schema').get() as { n: number }).n === 0;
    } finally {
      connection.close();
    }
  } catch {
    return false; // not a database we can read: certainly not "empty"
  }
}

// ------------------------------------------------------------------------------------ PostgreSQL

/**
 * The connection URL without its password, and the password apart (for PGPASSWORD, never argv).
 * Query parameters are re-encoded with %20 for spaces: libpq does not read `+` as a space, as
 * WHATWG URLs (and node-postgres) do, so `options=-c+search_path%3Dx` would reach the server
 * as the setting "+search_path".
 */
export function splitPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = '';
  const query = [...parsed.searchParams].map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
  parsed.search = '';
  return { url: query ? `${parsed.toString()}?${query}` : parsed.toString(), password };
}

export type ToolRun = { code: number | null; stdout: string; stderr: string };

/** Runs a PostgreSQL client tool; a missing tool becomes code null with the reason in stderr. */
export function runTool(command: string, args: string[], password: string | undefined): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...(password !== undefined ? { PGPASSWORD: password } : {}), PGCONNECT_TIMEOUT: '10' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => resolve({ code: null, stdout: '', stderr: error.message }));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The major version of a client tool (`pg_dump (PostgreSQL) 15.18 …` → 15), or null if it is missing. */
export async function toolMajorVersion(command: string): Promise<number | null> {
  const run = await runTool(command, ['--version'], undefined);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(run.stdout);
  return run.code === 0 && match ? Number(match[1]) : null;
}

/**
 * The schema a restore writes into: the first `search_path` entry that exists, else the first
 * one named (to be created) — what `current_schema()` will be once it exists.
 */
export async function postgresTargetSchema(url: string): Promise<{ schema: string; exists: boolean; objects: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const path = (await client.query<{ search_path: string }>('show search_path')).rows[0]!.search_path;
    const user = (await client.query<{ u: string }>('select current_user as u')).rows[0]!.u;
    const entries = path
      .split(',')
      .map((entry) => entry.trim())
      .map((entry) => (entry === '"$user"' || entry === '$user' ? user : entry.replace(/^"(.*)"$/, '$1').replace(/""/g, '"')))
      .filter((entry) => entry !== '');
    for (const entry of entries) {
      const found = await client.query<{ oid: number }>('select oid from pg_namespace where nspname = $1', [entry]);
      if (found.rows.length > 0) return { schema: entry, exists: true, objects: await countSchemaObjects(client, entry) };
    }
    const named = entries.find((entry) => entry !== user) ?? entries[0];
    if (!named) throw new Error('search_path names no schema');
    return { schema: named, exists: false, objects: 0 };
  } finally {
    await client.end();
  }
}

/** Tables, sequences, views, functions and types of a schema, not counting those an extension owns. */
async function countSchemaObjects(client: pg.Client, schema: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `select (
       (select count(*) from pg_class c where c.relnamespace = n.oid
          and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'))
     + (select count(*) from pg_proc p where p.pronamespace = n.oid
          and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'))
     + (select count(*) from pg_type t where t.typnamespace = n.oid and t.typtype in ('d', 'e', 'r', 'm')
          and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e'))
     )::text as n
     from pg_namespace n where n.nspname = $1`,
    [schema],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Creates pg_trgm in `public` where it is missing and may be created, as migration 004 does:
 * the dump's trigram indexes name `public.gin_trgm_ops`, which a fresh database lacks.
 */
export async function ensureTrigramExtension(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ present: boolean; available: boolean; allowed: boolean; public_exists: boolean }>(
      `select exists (select 1 from pg_extension where extname = 'pg_trgm') as present,
              exists (select 1 from pg_available_extensions where name = 'pg_trgm') as available,
              has_database_privilege(current_user, current_database(), 'CREATE') as allowed,
              exists (select 1 from pg_namespace where nspname = 'public') as public_exists`,
    );
    const state = rows[0]!;
    if (state.present || !state.available || !state.allowed || !state.public_exists) return;
    await client.query('create extension if not exists pg_trgm with schema public');
  } finally {
    await client.end();
  }
}

/**
 * What a failed `pg_restore` says of the archive: `damaged` when the file is cut short or its
 * contents cannot be read as an archive, `too_new` when it was written by a newer pg_dump, else
 * `failure` (no permission, the server refused, …): reported as it is, not blamed on the file.
 */
export function pgRestoreFailureKind(stderr: string): 'damaged' | 'too_new' | 'failure' {
  if (/unsupported version \([\d.]+\) in file header/.test(stderr)) return 'too_new';
  if (
    /could not read from input file|did not find magic string|unexpected end of file|corrupt|invalid (OID|dumpId|format|TOC|compression)|bad (dumpId|table dumpId)|unrecognized (data block type|file format)|file offset in dump file is too large/i.test(
      stderr,
    )
  )
    return 'damaged';
  return 'failure';
}

/** The entries of a custom-format archive (`pg_restore --list`), and the schema it holds. */
export function parseArchiveList(list: string): { entries: string[]; schemas: string[] } {
  const entries = list.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'));
  const schemas = entries.map((line) => /^\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)\s/.exec(line)?.[1]).filter((name): name is string => name !== undefined);
  return { entries, schemas };
}
