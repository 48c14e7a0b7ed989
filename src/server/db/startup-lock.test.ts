import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { openDatabase, type Database } from './database.ts';
import { withStartupLock } from './startup-lock.ts';

forEachEngine('start-up work under a lock', (it, engine) => {
  it(
    engine === 'postgres' ? 'two servers starting at once on one database do it one after the other, the second finding it done' : 'runs the work (one server)',
    async (database) => {
      // The other server: its own pool on the same store.
      const other: Database = engine === 'postgres' ? await openDatabase(database.url) : database;
      try {
        let done = false;
        let running = 0;
        let overlapped = false;
        const start = (on: Database) =>
          withStartupLock(on, 'demo-data', async () => {
            running++;
            if (running > 1) overlapped = true;
            try {
              if (done) return 'found it done';
              await new Promise((resolve) => setTimeout(resolve, 300));
              done = true;
              return 'did it';
            } finally {
              running--;
            }
          });
        const outcomes = await Promise.all([start(database), start(other)]);
        if (engine === 'postgres') {
          assert.equal(overlapped, false, 'never both at once');
          assert.deepEqual(outcomes.sort(), ['did it', 'found it done']);
        } else assert.ok(outcomes.includes('did it'));
        // Released: a later start takes it at once.
        assert.equal(await withStartupLock(other, 'demo-data', async () => 'again'), 'again');
      } finally {
        if (other !== database) await other.close();
      }
    },
  );
});
