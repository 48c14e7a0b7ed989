import type { Database } from './database.ts';
import type { AnswerRecord } from './repositories/round-work.repository.ts';

/**
 * A row a group commit's work wrote that a kept read may show, with what it holds now where a
 * kept read can take it from here. Rows no kept read shows (audit rows, search notes) are not
 * named. A work that writes anything else names nothing, and its commit leaves every kept read
 * stale, as any other write does.
 */
export type NotedWrite =
  | { table: 'progress_entries'; roundId: number; taskId: number; unitId: number; answer: AnswerRecord }
  | { table: 'unit_submissions'; roundId: number; unitId: number };

/** How many commits back a kept read can be carried; older entries are read again. */
const LINKS_KEPT = 1_000;

/**
 * SQLite's group commits as kept reads see them (decision 046). Each link says: the database
 * went from change stamp `from` to `to` by writing these rows and nothing any kept read shows.
 * The group commit takes both stamps while it holds the write lock (after BEGIN IMMEDIATE and
 * before COMMIT), so no other connection's commit can fall between them. A read kept at an
 * earlier stamp can be brought to the current one when every link between the two is known:
 * ReadCache walks the links back and applies their writes rather than reading again.
 * A commit without a link (any other write, or another process's) ends the walk: a miss.
 */
export class CommitLog {
  /** By the stamp each commit ended at; a Map keeps insertion order, so the first is the oldest. */
  readonly #links = new Map<string, { from: string; writes: readonly NotedWrite[] }>();

  record(from: string, to: string, writes: readonly NotedWrite[]): void {
    if (from === to) return;
    this.#links.set(to, { from, writes });
    if (this.#links.size > LINKS_KEPT) this.#links.delete(this.#links.keys().next().value!);
  }

  /** Every write committed from stamp `from` to stamp `to`, in commit order, or null when a commit between them is not known. */
  writesBetween(from: string, to: string): NotedWrite[] | null {
    const links: (readonly NotedWrite[])[] = [];
    let at = to;
    for (let steps = 0; at !== from; steps++) {
      const link = this.#links.get(at);
      if (!link || steps >= LINKS_KEPT) return null;
      links.push(link.writes);
      at = link.from;
    }
    return links.reverse().flat();
  }
}

const logs = new WeakMap<Database, CommitLog>();

/** The commit log of this open database (empty on PostgreSQL, whose kept reads ask the change feed). */
export function commitLogOf(database: Database): CommitLog {
  let log = logs.get(database);
  if (!log) {
    log = new CommitLog();
    logs.set(database, log);
  }
  return log;
}
