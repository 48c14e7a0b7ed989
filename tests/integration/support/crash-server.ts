/**
 * The server `npm start` runs (src/server/main.ts's composition: config, database opened and
 * migrated, demo data on first start, services, buildApp, listen), without the web app and on a
 * free port, for tests that kill it with SIGKILL and start it again on the same SQLite file.
 * Prints `READY <port>` on stdout once it listens.
 *
 *   node --import tsx tests/integration/support/crash-server.ts <sqlite-file>
 */
import type { AddressInfo } from 'node:net';
import { systemActor } from '../../../src/domain/actor.ts';
import { loadConfig } from '../../../src/server/config.ts';
import { openDatabase } from '../../../src/server/db/database.ts';
import { createOrganisationDirectory } from '../../../src/server/organisations/directory.ts';
import { migrateToLatest } from '../../../src/server/db/migrate.ts';
import { buildApp } from '../../../src/server/http/app.ts';
import { createServices } from '../../../src/server/services/index.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-server.ts <sqlite-file>');
const config = loadConfig({ DIAODU_DATABASE_URL: `sqlite:${file}`, HOST: '127.0.0.1', DIAODU_LOG_LEVEL: 'error', DIAODU_DEMO: 'true' });
const database = await openDatabase(config.databaseUrl);
await migrateToLatest(database.db);
const services = createServices({ database, config });
if (await services.demo.hasNoAccounts()) await services.demo.loadDemoData(systemActor('demo'));
const app = await buildApp({
  directory: await createOrganisationDirectory({ home: database, homeUrl: config.databaseUrl, config, homeServices: services }),
  config,
  logger: { level: config.logLevel },
  webRoot: null,
});
await app.listen({ host: config.host, port: 0 });
process.stdout.write(`READY ${(app.server.address() as AddressInfo).port}\n`);
// The test's end: close cleanly on SIGTERM (a crash is SIGKILL, which nothing can catch).
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => database.close())
    .then(() => process.exit(0));
});
// No orphan if the test process dies.
process.stdin.on('end', () => process.exit(1));
process.stdin.resume();
