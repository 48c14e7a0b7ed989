import { commitLogOf, type CommitLog, type NotedWrite } from '../db/commit-log.ts';
import type { Database } from '../db/database.ts';

/**
 * Results of reads kept while the database has not changed (`Database.changeStamp` on SQLite,
 * `Database.changeFeed` on PostgreSQL — every server's commits, decision 043): a unit's to-do
 * list is read again and again (every reporter's page load and refresh) and changes only when
 * somebody writes. Any write anywhere, by this process or another server, makes every entry
 * stale, so an entry can never show less than what had committed when its stamp was taken.
 * Where there is no stamp (SQLite while another request's transaction is open; PostgreSQL while
 * the listening connection is down) the read goes to the database. One exception on SQLite
 * (decision 046): a cache given `carry` brings an entry across group commits that noted their
 * writes (db/commit-log.ts): `carry` keeps the entry where a write does not show in it, applies
 * the write where it can (a draft save to its own unit's list) and otherwise says read again.
 * Every commit between the entry's stamp and now must be such a commit. Entries are frozen: callers
 * share one object, and the HTTP layer serialises each object once (http/serialise-once.ts).
 * See docs/decisions/016-hot-path-queries.md.
 */
export class ReadCache<K, V extends object> {
  readonly #entries = new Map<K, { stamp: string; value: V }>();
  readonly #database: Database;
  readonly #log: CommitLog;
  readonly #capacity: number;
  readonly #carry: ((write: NotedWrite, value: V) => V | null) | undefined;
  #hits = 0;
  #carriedCount = 0;
  #misses = 0;

  /**
   * `carry(write, value)`: `value` itself when it shows nothing `write` wrote, a new value with
   * the write applied, or null when it must be read again. Never changes `value` (it is frozen).
   * A write holds the row as it is now, and applying it must not depend on the value's state
   * before: a value read after its stamp was taken may already show the write it is given.
   */
  constructor(database: Database, capacity: number, options: { carry?: (write: NotedWrite, value: V) => V | null } = {}) {
    this.#database = database;
    this.#log = commitLogOf(database);
    this.#capacity = capacity;
    this.#carry = options.carry;
  }

  /** The kept value if nothing was written since it was read; else `read()`'s, kept for next time. */
  async get(key: K, read: () => Promise<V>): Promise<V> {
    // Taken before reading: a write that lands while `read` runs leaves the entry stale, never wrong.
    const feed = this.#database.changeFeed;
    const stamp = feed ? await feed.stamp() : this.#database.changeStamp();
    if (stamp === null) return read();
    const kept = this.#entries.get(key);
    if (kept && (kept.stamp === stamp || this.#carried(kept, stamp))) {
      this.#hits++;
      // Most recently used last: a Map keeps insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.value;
    }
    this.#misses++;
    const value = deepFreeze(await read());
    this.#entries.delete(key);
    this.#entries.set(key, { stamp, value });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  /** Brings `kept` to `stamp` if every commit since its own stamp is known and `carry` takes each of their writes. */
  #carried(kept: { stamp: string; value: V }, stamp: string): boolean {
    const carry = this.#carry;
    if (!carry) return false;
    const writes = this.#log.writesBetween(kept.stamp, stamp);
    if (writes === null) return false;
    let value: V | null = kept.value;
    for (const write of writes) if ((value = carry(write, value)) === null) return false;
    kept.value = deepFreeze(value);
    kept.stamp = stamp;
    this.#carriedCount++;
    return true;
  }

  /** `carried`: hits (counted in `hits` too) on entries brought across commits by `carry`. */
  stats(): { hits: number; carried: number; misses: number; entries: number } {
    return { hits: this.#hits, carried: this.#carriedCount, misses: this.#misses, entries: this.#entries.size };
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
