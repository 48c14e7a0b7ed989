import { sql } from 'kysely';
import type { Finding } from '../../domain/insights/types.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';

/**
 * Where the evaluation and the dashboard get a round's findings: the insight service's
 * `findingsIn` (it runs the engine over the round with the office's decisions), inside the
 * caller's read transaction. Passed in rather than imported so each service is tested with the
 * real one and the composition (services/index.ts) names it once.
 *
 * `stamp`: `findingsStamp(database)`, taken by the caller BEFORE opening its transaction. With a
 * stamp, a source may answer what it computed under the same stamp (`cachedFindings`); without
 * one it computes.
 */
export type FindingsSource = (repositories: Repositories, roundId: number, stamp?: string | null) => Promise<Finding[]>;

/**
 * What the database looks like to a cache, taken outside any transaction: equal stamps, nothing
 * committed between them. SQLite: `Database.changeStamp` (none while another request's
 * transaction is open). PostgreSQL: the current snapshot, `xmin:xmax:ids in progress` — a
 * transaction gets an id at its first write (which moves xmax) and leaves the in-progress list
 * when it ends, while reads get none, so the text changes exactly when a writing transaction
 * starts writing or ends (any write in the cluster: a miss, never a wrong answer).
 */
export async function findingsStamp(database: Database): Promise<string | null> {
  if (database.dialect !== 'postgres') return database.changeStamp();
  const { rows } = await sql<{ stamp: string }>`select pg_current_snapshot()::text as stamp`.execute(database.db);
  return rows[0]?.stamp ?? null;
}

/**
 * Values read from the database kept while nothing was written (the stamp unchanged), up to
 * `budget` in all as `sizeOf` counts them. A write makes every entry useless (stamps never come
 * back), so entries of another stamp go first; past the budget a value is not kept rather than
 * pushing out another — a dashboard reads a plan's rounds in turn, and dropping the oldest for the
 * newest would leave none of them there when it comes round again. Values are frozen: callers
 * share them. Without a stamp (SQLite while another request's transaction is open) it reads.
 */
export class StampedCache<K, V extends object> {
  readonly #kept = new Map<K, { stamp: string; value: V; size: number }>();
  readonly #budget: number;
  readonly #sizeOf: (value: V) => number;
  #size = 0;

  constructor(budget: number, sizeOf: (value: V) => number) {
    this.#budget = budget;
    this.#sizeOf = sizeOf;
  }

  async get(key: K, stamp: string | null | undefined, read: () => Promise<V>): Promise<V> {
    if (stamp === undefined || stamp === null) return read();
    const entry = this.#kept.get(key);
    if (entry && entry.stamp === stamp) return entry.value;
    const value = deepFreeze(await read());
    for (const [other, kept] of this.#kept)
      if (kept.stamp !== stamp || other === key) {
        this.#size -= kept.size;
        this.#kept.delete(other);
      }
    const size = this.#sizeOf(value);
    if (this.#size + size <= this.#budget) {
      this.#kept.set(key, { stamp, value, size });
      this.#size += size;
    }
    return value;
  }
}

/**
 * A round's findings kept until the next write, up to `budget` findings in all. The dashboard
 * reads every round of the plan on each load (the 大屏 every minute, each leader's phone every
 * two): at 10,000 tasks a round the engine takes seconds a round (`npm run bench:insights`), which
 * only a write — an answer, a decision — should cost again. Counted in findings, not rounds, so a
 * plan of many ordinary rounds is kept whole while a few huge ones stay within memory.
 */
export function cachedFindings(source: FindingsSource, budget: number): FindingsSource {
  const kept = new StampedCache<number, Finding[]>(budget, (findings) => findings.length);
  return (repositories, roundId, stamp) => kept.get(roundId, stamp, () => source(repositories, roundId));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
