import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { systemActor } from '../../domain/actor.ts';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createOrganisationDirectory } from '../organisations/directory.ts';
import { serveExportsOfEveryStore } from './export-timers.ts';

/** A job that finished an hour ago, long past its 15 minutes: a ticker of its store deletes it. */
async function addExpiredJob(database: Database, id: string): Promise<void> {
  const finished = new Date(Date.now() - 60 * 60_000).toISOString();
  await database.db
    .insertInto('export_jobs')
    .values({
      id,
      owner: 'user:1',
      round_id: 1,
      format: 'json',
      file_name: 'x.json',
      options: null,
      state: 'done',
      content: new Uint8Array([1]),
      bytes: 1,
      created_at: finished,
      finished_at: finished,
    })
    .execute();
}

const jobIds = async (database: Database) => (await database.db.selectFrom('export_jobs').select('id').execute()).map((row) => row.id);

forEachEngine('export timers', (it) => {
  it('every organisation’s store runs its export ticker, one created later too, not the home store’s alone', async (database) => {
    const config = { ...loadConfig({}), databaseUrl: database.url };
    const directory = await createOrganisationDirectory({ home: database, homeUrl: database.url, config });
    const actor = systemActor('test');
    let timers: ReturnType<typeof serveExportsOfEveryStore> | null = null;
    try {
      const city = await directory.create(actor, { code: 'city-a', name: '甲市生态环境局' });
      const cityStore = await directory.databaseOf(city.id);
      await addExpiredJob(database, 'home-old');
      await addExpiredJob(cityStore, 'city-old');
      const errors: unknown[] = [];
      timers = serveExportsOfEveryStore(directory, { tickMs: 50, rescanMs: 100, onError: (error) => errors.push(error) });
      await timers.scanned;
      const later = await directory.create(actor, { code: 'city-b', name: '乙市生态环境局' });
      const laterStore = await directory.databaseOf(later.id);
      await addExpiredJob(laterStore, 'later-old');
      const deadline = Date.now() + 10_000;
      while ((await jobIds(database)).length + (await jobIds(cityStore)).length + (await jobIds(laterStore)).length > 0) {
        assert.ok(
          Date.now() < deadline,
          `expired jobs left: home ${await jobIds(database)}, city ${await jobIds(cityStore)}, later ${await jobIds(laterStore)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(errors, []);
    } finally {
      timers?.stop();
      await directory.home.services.exports.close();
      await directory.close();
    }
  });
});
