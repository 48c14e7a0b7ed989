import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase, redactUrl, type Database, type Dialect } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';

/**
 * Real databases for repository and service tests: every such test runs once on SQLite (a
 * temporary file) and once on PostgreSQL (a schema of its own, emptied afterwards for the
 * process's next test, see `reusable`). There is no silent skip: without a PostgreSQL server the
 * PostgreSQL half fails and says what to do.
 *
 * A fresh database is a copy of one migrated once, not a new run of every migration: on SQLite a
 * copy of the migrated file, on PostgreSQL the migrated schema as `pg_dump` wrote it, run as one
 * query. Migrating took most of a PostgreSQL test's time (0.9 s of 1.7 s on an idle machine, and
 * several seconds on a loaded one). The migrations themselves are tested on their own
 * (src/server/db), from an empty database up.
 */

export type Engine = Dialect;
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A fresh, migrated database, and where it lives (for tests that reopen it). */
export type TestDatabase = Database & { engine: Engine; url: string };

const execFileAsync = promisify(execFile);
const POSTGRES_URL_FILE = new URL('../.postgres-url', import.meta.url);
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/server/db/migrations/', import.meta.url));
const MIGRATOR_FILE = fileURLToPath(new URL('../../src/server/db/migrate.ts', import.meta.url));

/** `DIAODU_TEST_POSTGRES_URL`, else the first line of `tests/.postgres-url`, else null. */
export function postgresTestUrl(): string | null {
  const fromEnv = process.env.DIAODU_TEST_POSTGRES_URL?.trim();
  if (fromEnv) return fromEnv;
  if (existsSync(POSTGRES_URL_FILE)) {
    const fromFile = readFileSync(POSTGRES_URL_FILE, 'utf8').split('\n')[0]?.trim();
    if (fromFile) return fromFile;
  }
  return null;
}

function missingPostgresMessage(): string {
  const fix =
    'run `bash scripts/test-deps.sh` (installs and starts PostgreSQL, writes tests/.postgres-url), or set DIAODU_TEST_POSTGRES_URL=postgres://diaodu:diaodu@127.0.0.1:5432/diaodu_test';
  return process.env.CI
    ? `CI: PostgreSQL is required for the integration suites and none is configured: ${fix}`
    : `PostgreSQL is not configured for tests, so the PostgreSQL half of this suite cannot run: ${fix}`;
}

/** Opens a fresh migrated database on `engine`; `dispose` closes it and removes every trace. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase & { dispose(): Promise<void> }> {
  return engine === 'sqlite' ? createSqlite() : createPostgres();
}

/** A digest of the migrations' source: a template made from other code (an edited migration, another branch) is never taken for this code's. */
function migrationsDigest(): string {
  const hash = createHash('sha256').update(readFileSync(MIGRATOR_FILE));
  for (const name of readdirSync(MIGRATIONS_FOLDER).sort()) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts')) hash.update(name).update(readFileSync(join(MIGRATIONS_FOLDER, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Where the SQLite files go: tmpfs when there is one, so that the fsync of every commit
 * (synchronous = FULL, as in production) costs the suite nothing. Still a real file.
 */
const TEST_FILES_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

let sqliteTemplate: Promise<string> | null = null;

/** This process's migrated SQLite file, made once (removed when the process ends). */
function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const folder = mkdtempSync(join(TEST_FILES_ROOT, 'diaodu-template-'));
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'template.db');
    const database = await openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(database.db);
    } finally {
      // Closing checkpoints the write-ahead log into the file: the file alone is the database.
      await database.close();
    }
    return file;
  })();
  return sqliteTemplate;
}

async function createSqlite() {
  const template = await sqliteTemplateFile();
  const folder = mkdtempSync(join(TEST_FILES_ROOT, 'diaodu-test-'));
  const file = join(folder, 'data', 'diaodu.db');
  mkdirSync(dirname(file));
  copyFileSync(template, file);
  const url = `sqlite:${file}`;
  let database: Database;
  try {
    database = await openDatabase(url);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  let closed = false;
  return {
    ...database,
    engine: 'sqlite' as const,
    url,
    close: async () => {
      if (!closed) await database.close();
      closed = true;
    },
    async dispose() {
      if (!closed) await database.close();
      closed = true;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

let postgresTemplate: Promise<string> | null = null;

/** Names the template schema while it exists; unusual enough that replacing it in the dump touches nothing else. */
const TEMPLATE_SCHEMA_PREFIX = 'diaodu_migrated_template_';
/** Stands for the test's schema in the template's SQL. */
const TEMPLATE_SCHEMA_TOKEN = '__diaodu_test_schema__';

/**
 * The SQL that makes a migrated schema: the migrations run once into a schema of their own, which
 * `pg_dump` writes out as statements (with the rows migrations insert) and which is then dropped.
 * Kept in a file named by the migrations' digest, so the processes of a run (and later runs) share
 * it; made under an advisory lock and renamed into place, so a half-written file is never read.
 */
function postgresTemplateSql(baseUrl: string): Promise<string> {
  postgresTemplate ??= (async () => {
    const digest = migrationsDigest();
    const file = join(tmpdir(), `diaodu-pg-template-${digest}.sql`);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    const client = await adminClient(baseUrl);
    try {
      await client.query(`select pg_advisory_lock(hashtext('diaodu:test-template'))`);
      if (existsSync(file)) return readFileSync(file, 'utf8');
      const schema = `${TEMPLATE_SCHEMA_PREFIX}${digest}`;
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.query(`create schema "${schema}"`);
      try {
        const database = await openDatabase(withSearchPath(baseUrl, schema));
        try {
          await migrateToLatest(database.db);
        } finally {
          await database.close();
        }
        const dump = await pgDump(baseUrl, schema);
        const building = `${file}.${process.pid}`;
        writeFileSync(building, dump);
        renameSync(building, file);
        return dump;
      } finally {
        await client.query(`drop schema if exists "${schema}" cascade`);
      }
    } finally {
      await client.end();
    }
  })();
  postgresTemplate.catch(() => {
    postgresTemplate = null;
  });
  return postgresTemplate;
}

/** `pg_dump` of one schema as statements one simple query runs: no psql commands, no session settings, no `CREATE SCHEMA`. */
async function pgDump(baseUrl: string, schema: string): Promise<string> {
  const { stdout } = await execFileAsync('pg_dump', [`--schema=${schema}`, '--no-owner', '--no-privileges', '--inserts', `--dbname=${baseUrl}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error) => {
    throw new Error(`pg_dump of the migrated test schema failed (is postgresql-client installed? \`bash scripts/test-deps.sh\`): ${error.message}`, {
      cause: error,
    });
  });
  return stdout
    .split('\n')
    .filter(
      (line) => !line.startsWith('--') && !line.startsWith('\\') && !/^SET |^SELECT pg_catalog\.set_config\(/.test(line) && line !== `CREATE SCHEMA ${schema};`,
    )
    .join('\n')
    .replaceAll(schema, TEMPLATE_SCHEMA_TOKEN);
}

async function createPostgres() {
  const baseUrl = postgresTestUrl();
  if (!baseUrl) throw new Error(missingPostgresMessage());
  const template = await postgresTemplateSql(baseUrl);
  const reused = reusedSchema(baseUrl);
  let schema = reused?.schema;
  if (!schema) {
    schema = await newSchema(baseUrl, template);
    // The template's shape, read from the first schema this process makes, before any test uses it
    // (awaited: read later, it would take in what the test did, and no schema would match it again).
    freshSchema ??= Promise.all([shapeOf(baseUrl, schema), deletionsInOrder(baseUrl, schema)])
      .then(([shape, deletions]) => ({ shape, emptying: emptyingStatements(template, deletions) }))
      .catch(() => null);
    await freshSchema;
  }
  // The test's URL names its schema as the connections' application_name too: any left connected
  // when it ends (a child process, a server not closed) are seen, and the schema is not reused.
  const url = withSearchPath(baseUrl, schema, schema);
  let database: Database;
  try {
    database = reused?.database ?? (await openDatabase(withSearchPath(baseUrl, schema, keptPoolName(schema))));
  } catch (error) {
    await dropSchemas(baseUrl, schema);
    throw error;
  }
  let closed = false;
  return {
    ...database,
    engine: 'postgres' as const,
    url,
    close: async () => {
      if (!closed) await database.close();
      closed = true;
    },
    async dispose() {
      const kept = closed ? null : database;
      closed = true;
      await emptyForReuse(baseUrl, schema, kept);
    },
  };
}

/** The application_name of the connections a test database keeps for the next test of its schema. */
const keptPoolName = (schema: string) => `${schema}.kept`;

const newSchemaName = () => `test_${process.pid}_${randomBytes(6).toString('hex')}`;

async function newSchema(baseUrl: string, template: string): Promise<string> {
  const schema = newSchemaName();
  // One round trip and one implicit transaction: the schema is made whole or not at all.
  await adminQuery(baseUrl, `create schema "${schema}";\n${template.replaceAll(TEMPLATE_SCHEMA_TOKEN, `"${schema}"`)}`);
  return schema;
}

/**
 * Schemas of this process's finished tests, emptied back to the template's state, with their pools'
 * connections, for the next test. Making a schema from the template is DDL for 49 tables, their keys, indexes and
 * triggers: 213 ms of PostgreSQL's CPU, and 60 ms more to drop it, where emptying one takes 4 ms
 * (about 20 ms after a test with the seed plan in it; 2026-12-07, decision 036); the suite makes a
 * schema for each of some 450 PostgreSQL tests. The pool goes with the schema: a new connection
 * costs about 33 ms of the machine's CPU and its first statements read the catalog for every table
 * they touch; four files' 55 PostgreSQL tests opened 125 connections (PostgreSQL 8.6 s of CPU)
 * and open 16 with the pools kept (5.5 s; 2026-12-07, decision 036).
 *
 * A schema is taken again only when it is exactly what the template makes: its tables, columns,
 * constraints and triggers (with their enabled state) are compared with the template's, so one a test
 * changed (a table of its own, a trigger left disabled) is dropped instead, and so is one that any
 * connection still uses but the kept pool's idle ones (a child process or a server the test did not
 * close would otherwise see the next test's rows), or whose kept connections hold a transaction open.
 * The rest are dropped, and the pools closed, when the process's tests are done.
 */
const reusable: { baseUrl: string; schema: string; database: Database | null }[] = [];
/** What a schema fresh from the template is: its shape, and the statements that bring a used one back to it (schema as TEMPLATE_SCHEMA_TOKEN). */
let freshSchema: Promise<{ shape: string; emptying: string } | null> | null = null;

/** Every row deleted (children before parents; the audit log's append-only trigger off for the moment), the template's rows and sequence positions put back. */
function emptyingStatements(template: string, deletions: string[]): string {
  return [
    `alter table ${TEMPLATE_SCHEMA_TOKEN}.audit_events disable trigger audit_events_no_update_or_delete;`,
    ...deletions,
    `alter table ${TEMPLATE_SCHEMA_TOKEN}.audit_events enable trigger audit_events_no_update_or_delete;`,
    ...template.split('\n').filter((line) => line.startsWith(`INSERT INTO ${TEMPLATE_SCHEMA_TOKEN}.`) || line.startsWith('SELECT pg_catalog.setval(')),
  ].join('\n');
}

/** The schema (and its pool, unless the test closed it) this process's last finished test left emptied for reuse, if there is one. */
function reusedSchema(baseUrl: string): { schema: string; database: Database | null } | null {
  const index = reusable.findLastIndex((entry) => entry.baseUrl === baseUrl);
  return index === -1 ? null : reusable.splice(index, 1)[0]!;
}

/**
 * A digest of a schema's tables, columns, constraints and triggers, without the schema's name, nor
 * the names of the triggers PostgreSQL makes for foreign keys (they carry an oid, so they differ
 * from schema to schema; the keys themselves are compared by their constraints).
 */
async function shapeOf(baseUrl: string, schema: string): Promise<string> {
  const rows = await adminRows<{ shape: string }>(baseUrl, `select ${SHAPE_SQL('$1')} as shape`, [`"${schema}"`]);
  return rows[0]!.shape;
}

const SHAPE_SQL = (schema: string) => `(select md5(string_agg(part, ',' order by part)) from (
    select 'r:' || c.relname || ':' || c.relkind::text as part from pg_class c where c.relnamespace = ${schema}::regnamespace
    union all select 'a:' || c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull
      from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relnamespace = ${schema}::regnamespace and a.attnum > 0 and not a.attisdropped
    union all select 'k:' || conname || ':' || contype::text || ':' || convalidated from pg_constraint where connamespace = ${schema}::regnamespace
    union all select 't:' || c.relname || '.' || case when t.tgisinternal then 'internal' else t.tgname end || ':' || t.tgenabled::text
      from pg_trigger t join pg_class c on c.oid = t.tgrelid where c.relnamespace = ${schema}::regnamespace) parts)`;

/**
 * Empties a finished test's schema for the next one (see `reusable`), in one transaction: no
 * connection but the kept pool's idle ones, the organisations' stores made beside it dropped, its
 * shape checked, every row deleted (children before parents; the audit log's append-only trigger
 * off for the moment), the template's rows and sequence positions put back. Anything unexpected
 * closes the pool and drops the schema instead.
 */
async function emptyForReuse(baseUrl: string, schema: string, pool: Database | null): Promise<void> {
  const fresh = await freshSchema;
  const dropInstead = async () => {
    await pool?.close();
    await dropSchemas(baseUrl, schema);
  };
  if (!fresh) return dropInstead();
  const { shape, emptying } = fresh;
  try {
    await adminQuery(
      baseUrl,
      [
        // A lock some connection still holds fails the emptying rather than waiting for it.
        `set local lock_timeout = '2s';`,
        `do $$ begin if exists (select from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
           and (application_name = '${schema}' or (application_name = '${keptPoolName(schema)}' and state <> 'idle')))
         then raise exception 'test schema ${schema} is still in use'; end if; end $$;`,
        dropSchemasSql(`nspname like '${schema}\\_org\\_%'`),
        `do $$ begin if ${SHAPE_SQL(`'"${schema}"'`)} is distinct from '${shape}' then raise exception 'test schema ${schema} is not as the template made it'; end if; end $$;`,
        emptying.replaceAll(TEMPLATE_SCHEMA_TOKEN, `"${schema}"`),
      ].join('\n'),
    );
  } catch {
    return dropInstead();
  }
  reusable.push({ baseUrl, schema, database: pool });
}

/** `delete from` each table of the schema, a table before any it refers to (the template's foreign keys have no cycle). */
async function deletionsInOrder(baseUrl: string, schema: string): Promise<string[]> {
  const tables = await adminRows<{ name: string }>(
    baseUrl,
    `select relname as name from pg_class where relnamespace = $1::regnamespace and relkind = 'r' order by relname`,
    [`"${schema}"`],
  );
  const references = await adminRows<{ child: string; parent: string }>(
    baseUrl,
    `select c.relname as child, p.relname as parent from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.connamespace = $1::regnamespace and k.contype = 'f' and k.conrelid <> k.confrelid`,
    [`"${schema}"`],
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (table: string, path: string[]) => {
    if (placed.has(table)) return;
    if (path.includes(table)) throw new Error(`foreign keys in a cycle: ${[...path, table].join(' → ')}`);
    for (const { child } of references.filter((reference) => reference.parent === table)) place(child, [...path, table]);
    placed.add(table);
    ordered.push(table);
  };
  for (const { name } of tables) place(name, []);
  return ordered.map((table) => `delete from ${TEMPLATE_SCHEMA_TOKEN}."${table}";`);
}

after(async () => {
  const left = reusable.splice(0);
  await Promise.all(
    left.map(async ({ baseUrl, schema, database }) => {
      await database?.close().catch(() => undefined);
      await dropSchemas(baseUrl, schema).catch(() => undefined);
    }),
  );
});

/**
 * A new PostgreSQL database on the test server with one empty schema `schema` (a place to restore a
 * backup into, as a DBA would prepare it); `dispose` drops the database. `url` names the schema.
 */
export async function createEmptyPostgresDatabase(schema: string): Promise<{ url: string; dispose(): Promise<void> }> {
  const baseUrl = postgresTestUrl();
  if (!baseUrl) throw new Error(missingPostgresMessage());
  const name = `diaodu_restore_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(baseUrl, `create database "${name}" template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`);
  const databaseUrl = new URL(baseUrl);
  databaseUrl.pathname = `/${name}`;
  // On a connection of its own, closed at once: a pooled one would stay open, idle, and hold the drop off.
  const client = await adminClient(databaseUrl.toString());
  try {
    await client.query(`create schema "${schema}"`);
  } finally {
    await client.end();
  }
  return { url: withSearchPath(databaseUrl.toString(), schema), dispose: () => dropDatabase(baseUrl, name) };
}

/**
 * Drops a test database once the test's own connections to it have closed. Not `WITH (FORCE)`: FORCE
 * also tries to end an autovacuum worker busy in the database, which the test role may not do
 * ("must be a member of the role whose process is being terminated", a restore test's failure under
 * load, 2026-12-07); a plain DROP DATABASE stops the autovacuum worker itself. A connection of ours
 * still closing ("being accessed by other users") is waited for, for up to 10 s.
 */
async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await adminQuery(baseUrl, `drop database if exists "${name}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
/** SQLSTATE 55006: the database is being accessed by other users. */
const OBJECT_IN_USE = '55006';

/** The test's schema, with the stores of other organisations made beside it (decision 028: `<schema>_org_<id>`). */
function dropSchemas(baseUrl: string, schema: string): Promise<void> {
  return adminQuery(baseUrl, dropSchemasSql(`nspname = '${schema}' or nspname like '${schema}\\_org\\_%'`));
}

/** One statement dropping every schema whose name passes `condition` (SQL over `nspname`). */
const dropSchemasSql = (condition: string) =>
  `do $$ declare s text; begin for s in select nspname from pg_namespace where ${condition} loop execute format('drop schema if exists %I cascade', s); end loop; end $$;`;

/** The same server and database, with every unqualified name resolved in `schema`. */
function withSearchPath(baseUrl: string, schema: string, applicationName?: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  if (applicationName !== undefined) url.searchParams.set('application_name', applicationName);
  return url.toString();
}

async function adminClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw cannotConnect(url, error as Error);
  }
  return client;
}

const cannotConnect = (url: string, error: Error) =>
  new Error(`cannot connect to the test PostgreSQL at ${redactUrl(url)}: ${error.message}. Is it running? Try \`bash scripts/test-deps.sh\`.`, {
    cause: error,
  });

/**
 * The process's connections for making and dropping test schemas, kept between tests. A new
 * connection for each statement cost PostgreSQL a backend and a SCRAM login, twice a test
 * database, about 30 ms of the machine's CPU each (200 connects: 6.2 s, 2026-12-06).
 * `allowExitOnIdle`: an idle pool does not keep the test process alive.
 */
const adminPools = new Map<string, pg.Pool>();

/** One statement on the process's admin connection for `url`. */
async function adminQuery(url: string, statement: string): Promise<void> {
  await adminRows(url, statement, []);
}

/** A query's rows, on the process's admin connection for `url`. */
async function adminRows<Row>(url: string, statement: string, values: unknown[]): Promise<Row[]> {
  let pool = adminPools.get(url);
  if (!pool) {
    pool = new pg.Pool({ connectionString: url, max: 2, allowExitOnIdle: true });
    // An idle connection the server ended is dropped by the pool; the next query opens another.
    pool.on('error', () => undefined);
    adminPools.set(url, pool);
  }
  const client = await pool.connect().catch((error: Error) => {
    throw cannotConnect(url, error);
  });
  try {
    // Without values, the simple protocol: a statement may be several (the schema's template, its emptying).
    const { rows } = values.length > 0 ? await client.query(statement, values) : await client.query(statement);
    client.release();
    return rows as Row[];
  } catch (error) {
    // A connection whose statement failed is not handed out again (it may be the connection that broke).
    client.release(error as Error);
    throw error;
  }
}

export type EngineTest = (name: string, body: (database: TestDatabase) => Promise<void>) => void;

/**
 * Declares a suite once per engine: `forEachEngine('plan import', (it) => { it('…', async (database) => …) })`.
 * Each `it` gets a fresh migrated database, removed afterwards even when the test fails.
 * Where PostgreSQL is not configured, its half is one failing test saying how to fix that.
 */
export function forEachEngine(title: string, define: (it: EngineTest, engine: Engine) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, () => {
      if (engine === 'postgres' && !postgresTestUrl()) {
        test('PostgreSQL is configured', () => {
          throw new Error(missingPostgresMessage());
        });
        return;
      }
      define((name, body) => {
        test(name, async () => {
          const database = await createTestDatabase(engine);
          try {
            await body(database);
          } finally {
            await database.dispose();
          }
        });
      }, engine);
    });
  }
}
