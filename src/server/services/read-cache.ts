import type { Database } from '../db/database.ts';

/**
 * Results of reads kept while the database has not changed (`Database.changeStamp` on SQLite,
 * `Database.changeFeed` on PostgreSQL — every server's commits, decision 043): a unit's to-do
 * list is read again and again (every reporter's page load and refresh) and changes only when
 * somebody writes. Any write anywhere, by this process or another server, makes every entry
 * stale, so an entry can never show less than what had committed when its stamp was taken.
 * Where there is no stamp (SQLite while another request's transaction is open; PostgreSQL while
 * the listening connection is down) the read goes to the database. Entries are frozen: callers
 * share one object, and the HTTP layer serialises each object once (http/serialise-once.ts).
 * See docs/decisions/016-hot-path-queries.md.
 */
export class ReadCache<K, V extends object> {
  readonly #entries = new Map<K, { stamp: string; value: V }>();
  readonly #database: Database;
  readonly #capacity: number;
  #hits = 0;
  #misses = 0;

  constructor(database: Database, capacity: number) {
    this.#database = database;
    this.#capacity = capacity;
  }

  /** The kept value if nothing was written since it was read; else `read()`'s, kept for next time. */
  async get(key: K, read: () => Promise<V>): Promise<V> {
    // Taken before reading: a write that lands while `read` runs leaves the entry stale, never wrong.
    const feed = this.#database.changeFeed;
    const stamp = feed ? await feed.stamp() : this.#database.changeStamp();
    if (stamp === null) return read();
    const kept = this.#entries.get(key);
    if (kept && kept.stamp === stamp) {
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

  stats(): { hits: number; misses: number; entries: number } {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size };
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
