import type { Io } from './command.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { notFound } from '../domain/errors.ts';
import { createOrganisationDirectory } from '../server/organisations/directory.ts';
import { createPlatformServices } from '../server/organisations/index.ts';

/** Which organisation's store a command works on (`--organisation CODE`); absent = the home one. */
export type CliContextOptions = { organisation?: string | undefined };

/** The services a CLI command uses, over the database the configuration names, migrated. */
export async function openCliContext(io: Io, options: CliContextOptions = {}) {
  const config = loadConfig(io.env);
  const database: Database = await openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  // The same composition as the server's, so a command and an API call run the same code. The
  // commands work on the home organisation's store, as before organisations (decision 028), or
  // on the one `--organisation` names; `diaodu org` and `diaodu demo` use the directory itself.
  const directory = await createOrganisationDirectory({ home: database, homeUrl: config.databaseUrl, config });
  let services = directory.home.services;
  let organisation = directory.homeOrganisation();
  if (options.organisation !== undefined) {
    const record = await directory.findByCode(options.organisation.trim().toLowerCase());
    if (!record) {
      await directory.close();
      await database.close();
      throw notFound('organisation_not_found', `组织“${options.organisation}”不存在（diaodu org list 列出各组织的代码）`, {
        organisation: options.organisation,
      });
    }
    services = await directory.servicesOf(record.id);
    organisation = record;
  }
  return {
    config,
    database,
    directory,
    /** The organisation the command works on. */
    organisation,
    platform: createPlatformServices({ directory, timeZone: config.timeZone }),
    planFile: services.planFile,
    planExport: services.planExport,
    exports: services.exports,
    demo: services.demo,
    admin: services.admin,
    organisationProfile: services.organisationProfile,
    backups: services.backups,
    audit: services.audit,
    insights: services.insights,
    // The render worker (document exports) ends before the database closes.
    close: async () => {
      await services.exports.close();
      await directory.close();
      await database.close();
    },
  };
}

export type CliContext = Awaited<ReturnType<typeof openCliContext>>;

/** Runs `body` with a context and always closes the database. */
export async function withCliContext<T>(io: Io, body: (context: CliContext) => Promise<T>, options: CliContextOptions = {}): Promise<T> {
  const context = await openCliContext(io, options);
  try {
    return await body(context);
  } finally {
    await context.close();
  }
}
