import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, redactUrl, type Database, type Dialect } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';

/**
 * Real databases for repository and service tests: every such test runs once on SQLite (a
 * temporary file) and once on PostgreSQL (a schema of its own, dropped afterwards). There is
 * no silent skip: without a PostgreSQL server the PostgreSQL half fails and says what to do.
 */

export type Engine = Dialect;
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A fresh, migrated database, and where it lives (for tests that reopen it). */
export type TestDatabase = Database & { engine: Engine; url: string };

const POSTGRES_URL_FILE = new URL('../.postgres-url', import.meta.url);

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
  const fix = 'run `bash scripts/test-deps.sh` (installs and starts PostgreSQL, writes tests/.postgres-url), or set DIAODU_TEST_POSTGRES_URL=postgres://diaodu:diaodu@127.0.0.1:5432/diaodu_test';
  return process.env.CI
    ? `CI: PostgreSQL is required for the integration suites and none is configured: ${fix}`
    : `PostgreSQL is not configured for tests, so the PostgreSQL half of this suite cannot run: ${fix}`;
}

/** Opens a fresh migrated database on `engine`; `dispose` closes it and removes every trace. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase & { dispose(): Promise<void> }> {
  return engine === 'sqlite' ? createSqlite() : createPostgres();
}

async function createSqlite() {
  const folder = mkdtempSync(join(tmpdir(), 'diaodu-test-'));
  // A sub-folder that does not exist yet: openDatabase must create it.
  const url = `sqlite:${join(folder, 'data', 'diaodu.db')}`;
  const database = await openDatabase(url);
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
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

async function createPostgres() {
  const baseUrl = postgresTestUrl();
  if (!baseUrl) throw new Error(missingPostgresMessage());
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `create schema "${schema}"`);
  const url = withSearchPath(baseUrl, schema);
  let database: Database;
  try {
    database = await openDatabase(url);
    await migrateToLatest(database.db);
  } catch (error) {
    await adminQuery(baseUrl, `drop schema if exists "${schema}" cascade`);
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
      if (!closed) await database.close();
      closed = true;
      // With the stores of other organisations made beside it (decision 028: `<schema>_org_<id>`).
      await adminQuery(
        baseUrl,
        `do $$ declare s text; begin for s in select nspname from pg_namespace where nspname = '${schema}' or nspname like '${schema}\\_org\\_%' loop execute format('drop schema if exists %I cascade', s); end loop; end $$`,
      );
    },
  };
}

/** The same server and database, with every unqualified name resolved in `schema`. */
function withSearchPath(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** One statement on a short-lived connection (a pool would keep the test process alive). */
async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot connect to the test PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}. Is it running? Try \`bash scripts/test-deps.sh\`.`, {
      cause: error,
    });
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
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
