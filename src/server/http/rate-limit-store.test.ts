import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { openDatabase } from '../db/database.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

type Store = { incr(key: string, cb: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number): void };
const incr = (store: Store, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), 60_000, 20),
  );

forEachEngine('the rate limiter’s counters in the database (decision 040)', (it, engine) => {
  it('two servers count the same hits of a key in one window; the next window starts again at 1; routes of one group share, others count apart', async (database) => {
    // PostgreSQL: a second pool, as a second server would have.
    const other = engine === 'postgres' ? await openDatabase(database.url) : database;
    try {
      let current = new Date('2026-03-02T08:00:00.000Z').getTime();
      const now = () => new Date(current);
      const Store = databaseRateLimitStore(database, now);
      const OtherStore = databaseRateLimitStore(other, now);
      // The plugin passes its options; the store ignores them.
      const [a, b] = [
        new Store({} as never).child({ path: '/api/x', groupId: 'export' } as never),
        new OtherStore({} as never).child({ path: '/api/y', groupId: 'export' } as never),
      ];
      const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => incr(i % 2 ? a : b, 'user:1:9export')));
      assert.deepEqual(
        counts.map((c) => c.current).sort((x, y) => x - y),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        'no hit lost, none counted twice',
      );
      current += 30_000;
      assert.deepEqual(await incr(b, 'user:1:9export'), { current: 11, ttl: 30_000 });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const apart = new Store({} as any).child({ path: '/api/z' } as never);
      assert.equal((await incr(apart, 'user:1:9')).current, 1, 'a route without a group counts on its own');
      current += 30_000;
      assert.deepEqual(await incr(a, 'user:1:9export'), { current: 1, ttl: 60_000 }, 'a new window');
    } finally {
      if (other !== database) await other.close();
    }
  });
});
