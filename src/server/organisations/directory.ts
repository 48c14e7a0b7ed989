import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { actorLabel, type Actor } from '../../domain/actor.ts';
import { conflict, unavailable } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import { openDatabase, sqlitePath, type Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createRepositories } from '../db/repositories/index.ts';
import type { OrganisationRow } from '../db/schema-organisations.ts';
import { createServices, type Services } from '../services/index.ts';

/**
 * Many organisations on one deployment (issue 14, docs/decisions/028): each organisation's data
 * lives in a store of its own — on SQLite a file beside the home file, on PostgreSQL a schema
 * beside the home schema — with the whole schema in it. A set of services is bound to one store,
 * so no query of one organisation can reach another's rows. The home store is the database of
 * DIAODU_DATABASE_URL and holds the registry (`organisations`); the home organisation is id 1.
 */

export type OrganisationRecord = { id: number; code: string; name: string; archivedAt: string | null; home: boolean };

export interface OrganisationDirectory {
  /** Every organisation, home first. */
  list(): Promise<OrganisationRecord[]>;
  /** Its store, open and migrated. */
  databaseOf(id: number): Promise<Database>;
  /** The services over that store. */
  servicesOf(id: number): Promise<Services>;
}

/** The home organisation's id and code. */
export const HOME_ORGANISATION_ID = 1;
export const HOME_ORGANISATION_CODE = 'home';
/** The home organisation's name while its profile has none. */
const HOME_FALLBACK_NAME = '本单位';

/** Codes people type at login: a short latin slug. */
export const ORGANISATION_CODE_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

export type DirectoryDeps = {
  /** The home store, open and migrated; the caller keeps it (the directory never closes it). */
  home: Database;
  /** Where the home store lives (DIAODU_DATABASE_URL): the other stores are placed beside it. */
  homeUrl: string;
  config: Config;
  now?: () => Date;
  /** The services over the home store, when the caller made them already. */
  homeServices?: Services;
};

export type Directory = OrganisationDirectory & {
  /** The home store and its services (what main.ts, the CLI and the test server used before tenancy). */
  readonly home: { database: Database; services: Services };
  /** The clock every store's services read. */
  readonly now: () => Date;
  /** The home organisation as last read (its name follows the profile; refreshed by list and find). */
  homeOrganisation(): OrganisationRecord;
  /** One organisation, or null. */
  find(id: number): Promise<OrganisationRecord | null>;
  /** One organisation by its login code, or null. */
  findByCode(code: string): Promise<OrganisationRecord | null>;
  /**
   * Registers an organisation and makes its store (created, migrated, empty). The caller fills
   * it (profile, first admin) and calls `discard` if that fails. A store already where the new
   * one would go (a file or schema left by an earlier organisation of the same id, say after the
   * home store was restored from an older backup) is never adopted: refused, `organisation_store_exists`,
   * with no registry row left behind and the existing store untouched.
   */
  create(actor: Actor, input: { code: string; name: string }): Promise<OrganisationRecord>;
  /** Removes an organisation whose creation failed half way: its registry row and its store. */
  discard(id: number): Promise<void>;
  /** Sets archived_at; false when it was archived already (or is unknown). */
  archive(id: number, at: string): Promise<boolean>;
  /** Closes every store but the home one. */
  close(): Promise<void>;
};

type Store = { database: Database; services: Services; location: StoreLocation };
type StoreLocation = { url: string; sqliteFile: string | null; pgSchema: string | null };

export async function createOrganisationDirectory(deps: DirectoryDeps): Promise<Directory> {
  const { home, config } = deps;
  const now = deps.now ?? (() => new Date());
  const homeServices = deps.homeServices ?? createServices({ database: home, config, now });
  const registry = createRepositories(home.db);
  const homeName = async () => (await registry.organisationProfile.findProfile())?.profile.fullName ?? HOME_FALLBACK_NAME;
  await registry.organisations.ensureHomeOrganisation({
    code: HOME_ORGANISATION_CODE,
    name: await homeName(),
    now: now().toISOString(),
    by: 'system:directory',
  });
  const homeSchema = home.dialect === 'postgres' ? await currentSchema(home) : null;
  const stores = new Map<number, Promise<Store>>();
  let closed = false;

  let homeRecord: OrganisationRecord = { id: HOME_ORGANISATION_ID, code: HOME_ORGANISATION_CODE, name: await homeName(), archivedAt: null, home: true };
  const recordOf = async (row: OrganisationRow): Promise<OrganisationRecord> => {
    if (row.id !== HOME_ORGANISATION_ID) return { id: row.id, code: row.code, name: row.name, archivedAt: row.archived_at, home: false };
    homeRecord = { id: row.id, code: row.code, name: await homeName(), archivedAt: null, home: true };
    return homeRecord;
  };

  function locationOf(id: number): StoreLocation {
    if (home.dialect === 'postgres') {
      const schema = `${homeSchema}_org_${id}`;
      return { url: withSearchPath(deps.homeUrl, schema), sqliteFile: null, pgSchema: schema };
    }
    const homeFile = sqlitePath(deps.homeUrl);
    if (homeFile === ':memory:') return { url: 'sqlite::memory:', sqliteFile: null, pgSchema: null };
    const file = sqliteStoreFile(homeFile, id);
    return { url: `sqlite:${file}`, sqliteFile: file, pgSchema: null };
  }

  /** How a store's place is named in messages: its file or its schema. */
  function placeOf(location: StoreLocation): string {
    if (location.pgSchema) return `PostgreSQL schema“${location.pgSchema}”`;
    if (location.sqliteFile) return `文件“${location.sqliteFile}”`;
    return '内存库';
  }

  /**
   * Makes an empty store for a new organisation, atomically refusing one that exists: the schema
   * is created without `if not exists`, the file with O_EXCL (SQLite opens an empty file as an
   * empty database). A WAL left without its file is refused too, as SQLite would replay it.
   */
  async function makeStore(id: number, location: StoreLocation): Promise<void> {
    const exists = () =>
      conflict(
        'organisation_store_exists',
        `新组织的数据存储${placeOf(location)}已存在，不能沿用已有存储（可能是主库从较早的备份恢复，组织编号回退）：请先核对并移走该存储再建`,
        {
          organisationId: id,
          store: location.pgSchema ?? location.sqliteFile,
        },
      );
    if (location.pgSchema) {
      try {
        await sql`create schema ${sql.id(location.pgSchema)}`.execute(home.db);
      } catch (error) {
        if ((error as { code?: string }).code === '42P06') throw exists();
        throw error;
      }
    } else if (location.sqliteFile) {
      if (existsSync(`${location.sqliteFile}-wal`)) throw exists();
      try {
        closeSync(openSync(location.sqliteFile, 'wx'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
        throw error;
      }
    }
  }

  /** An existing organisation's store must be there: a missing one is never silently made anew, empty. */
  async function assertStoreExists(id: number, location: StoreLocation): Promise<void> {
    let present = true;
    if (location.pgSchema) {
      const { rows } = await sql<{ found: number }>`select 1 as found from pg_namespace where nspname = ${location.pgSchema}`.execute(home.db);
      present = rows.length > 0;
    } else if (location.sqliteFile) {
      present = existsSync(location.sqliteFile);
    }
    if (!present)
      // Said to whoever of the organisation signs in: no file path or schema name of the server.
      throw unavailable('organisation_store_missing', `组织 ${id} 的数据存储不存在，不会新建空存储代替：请平台管理员从备份恢复该存储`, { organisationId: id });
  }

  async function openStore(id: number, fresh: boolean): Promise<Store> {
    const location = locationOf(id);
    if (fresh) await makeStore(id, location);
    else await assertStoreExists(id, location);
    const database = await openDatabase(location.url, { poolMax: config.storePoolMax });
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      await database.close();
      throw error;
    }
    return { database, location, services: createServices({ database, config: { ...config, databaseUrl: location.url }, now }) };
  }

  /** The open store of `id`; `fresh` makes it (for `create`), else it must exist. */
  async function storeOf(id: number, fresh = false): Promise<Store> {
    if (closed) throw new Error('the organisation directory is closed');
    let store = stores.get(id);
    if (fresh && store) throw new Error(`the store of organisation ${id} is open already`);
    if (!store) {
      store = openStore(id, fresh);
      stores.set(id, store);
      // A store that failed to open is tried again next time, not kept.
      store.catch(() => stores.delete(id));
    }
    return store;
  }

  async function known(id: number): Promise<OrganisationRow> {
    const row = await registry.organisations.findOrganisationById(id);
    if (!row) throw new Error(`no organisation ${id}`);
    return row;
  }

  const directory: Directory = {
    home: { database: home, services: homeServices },
    homeOrganisation: () => homeRecord,
    now,
    async list() {
      const rows = await registry.organisations.listOrganisations();
      return Promise.all(rows.map(recordOf));
    },
    async find(id) {
      const row = await registry.organisations.findOrganisationById(id);
      return row ? recordOf(row) : null;
    },
    async findByCode(code) {
      const row = await registry.organisations.findOrganisationByCode(code);
      return row ? recordOf(row) : null;
    },
    async databaseOf(id) {
      if (id === HOME_ORGANISATION_ID) return home;
      await known(id);
      return (await storeOf(id)).database;
    },
    async servicesOf(id) {
      if (id === HOME_ORGANISATION_ID) return homeServices;
      await known(id);
      return (await storeOf(id)).services;
    },
    async create(actor, input) {
      const id = await registry.organisations.insertOrganisation({ code: input.code, name: input.name, now: now().toISOString(), by: actorLabel(actor) });
      try {
        await storeOf(id, true);
      } catch (error) {
        // A store that was there before is not ours to remove: only the registry row goes.
        if ((error as { code?: string }).code === 'organisation_store_exists') await registry.organisations.deleteOrganisation(id).catch(() => {});
        else await directory.discard(id).catch(() => {});
        throw error;
      }
      return (await directory.find(id))!;
    },
    async discard(id) {
      if (id === HOME_ORGANISATION_ID) throw new Error('the home organisation cannot be discarded');
      const opened = stores.get(id);
      stores.delete(id);
      const store = await opened?.catch(() => null);
      await store?.services.exports.close();
      await store?.database.close();
      const location = locationOf(id);
      if (location.pgSchema) await sql`drop schema if exists ${sql.id(location.pgSchema)} cascade`.execute(home.db);
      if (location.sqliteFile) for (const suffix of ['', '-wal', '-shm']) rmSync(`${location.sqliteFile}${suffix}`, { force: true });
      await registry.organisations.deleteOrganisation(id);
    },
    async archive(id, at) {
      return (await registry.organisations.archiveOrganisation(id, at)) === 1;
    },
    async close() {
      closed = true;
      const opened = [...stores.values()];
      stores.clear();
      for (const store of await Promise.all(opened.map((promise) => promise.catch(() => null)))) {
        if (!store) continue;
        await store.services.exports.close();
        await store.database.close();
      }
    },
  };
  return directory;
}

/**
 * The home URL with `search_path` set to `schema` in its `options` parameter; other `-c` settings
 * the operator put there (a statement timeout, say) are kept.
 */
export function withSearchPath(homeUrl: string, schema: string): string {
  const url = new URL(homeUrl);
  const others = (url.searchParams.get('options') ?? '').replace(/(?:-c\s*|--)search_path=\S*/g, '').trim();
  url.searchParams.set('options', `${others ? `${others} ` : ''}-c search_path=${schema}`);
  return url.toString();
}

/** Where an organisation's SQLite store lives: beside the home file, named after it (`x.db` → `x.org-2.sqlite`). */
export function sqliteStoreFile(homeFile: string, id: number): string {
  return `${homeFile.replace(/\.(sqlite3?|db)$/i, '')}.org-${id}.sqlite`;
}

/** The schema the home connection writes to (the first existing entry of its search_path). */
async function currentSchema(database: Database): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL search_path names no existing schema');
  return schema;
}
