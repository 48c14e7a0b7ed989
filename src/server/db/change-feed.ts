import pg from 'pg';

/** The channel migration 027's triggers notify on; the payload is the schema (the store) that changed. */
export const CHANGE_CHANNEL = 'diaodu_changes';

/**
 * What a PostgreSQL store's kept reads ask before using what they kept (decision 043).
 *
 * `stamp()` changes whenever a change to this store has committed, on any server: it is the count
 * of `diaodu_changes` notices for the store's schema this process has received on its listening
 * connection, taken after a round trip on that same connection. PostgreSQL signals the listening
 * backends before the writer's COMMIT returns, and a backend with a notice pending sends it before
 * it answers the next query (before ReadyForQuery), so the round trip is a barrier: every commit
 * that had returned when `stamp()` was called has been counted when it resolves. A save answered
 * by server A is therefore never hidden by a list server B kept, however the next request travels.
 *
 * Null — read the database, keep nothing usable — while the listening connection is not up (not
 * yet connected, dropped, the round trip failed): notices may have been missed, so everything
 * kept is stale. Each (re)connection starts a new epoch, part of the stamp, so nothing kept
 * before a drop is ever used after it.
 */
export type ChangeFeed = {
  stamp(): Promise<string | null>;
  /** Lets go of the shared listening connection (the last store to let go closes it). */
  close(): Promise<void>;
};

/** How long to wait before connecting again after a failure or a drop (doubling up to the last). */
const RECONNECT_DELAYS_MS = [200, 1_000, 2_000, 5_000];

type Listener = {
  stamp(schema: string): Promise<string | null>;
  users: number;
  close(): Promise<void>;
  /** Tests: the listening connection's backend, to cut it. */
  backendPid(): number | null;
};

/** One listening connection per process and PostgreSQL database, shared by every store (schema) in it. */
const listeners = new Map<string, Listener>();

/**
 * The change feed of the store at `url` (its `search_path` names the schema), whose own pool
 * `pool` is asked once which schema that is. Connects at the first `stamp()`, never before: a
 * CLI command that opens the database and keeps nothing opens no extra connection.
 */
export function changeFeedOf(url: string, pool: pg.Pool): ChangeFeed {
  const key = listenerUrl(url);
  let listener = listeners.get(key);
  if (!listener) {
    listener = createListener(key);
    listeners.set(key, listener);
  }
  listener.users++;
  const shared = listener;
  let schema: Promise<string> | null = null;
  let closed = false;
  return {
    async stamp() {
      if (closed) return null;
      schema ??= pool.query<{ schema: string | null }>('select current_schema() as schema').then(({ rows }) => {
        if (!rows[0]?.schema) throw new Error('PostgreSQL search_path names no existing schema');
        return rows[0].schema;
      });
      let name: string;
      try {
        name = await schema;
      } catch {
        schema = null;
        return null;
      }
      return shared.stamp(name);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (--shared.users > 0) return;
      if (listeners.get(key) === shared) listeners.delete(key);
      await shared.close();
    },
  };
}

/** Tests: the process id of the backend listening for `url`'s database, or null when not connected. */
export function listeningBackendPid(url: string): number | null {
  return listeners.get(listenerUrl(url))?.backendPid() ?? null;
}

/**
 * The URL without its `options` (the search_path of one store) and `application_name` (who is
 * connecting, not where): every store of a database shares the listener.
 */
function listenerUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('options');
  parsed.searchParams.delete('application_name');
  return parsed.toString();
}

function createListener(url: string): Listener {
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  let epoch = 0;
  let closed = false;
  const counts = new Map<string, number>();

  function scheduleReconnect(): void {
    if (closed || retry) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)]!;
    failures++;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
  }

  function drop(dropped: pg.Client): void {
    if (client === dropped) {
      client = null;
      // Notices may be lost from here on: nothing kept under this epoch may be used again.
      epoch++;
    }
    dropped.end().catch(() => undefined);
    scheduleReconnect();
  }

  function connect(): Promise<void> {
    connecting ??= (async () => {
      const candidate = new pg.Client({ connectionString: url });
      candidate.on('notification', (notice) => {
        if (notice.channel !== CHANGE_CHANNEL || notice.payload === undefined) return;
        counts.set(notice.payload, (counts.get(notice.payload) ?? 0) + 1);
      });
      // A lost connection emits 'error' (unhandled it would end the process) and 'end'.
      candidate.on('error', () => drop(candidate));
      candidate.on('end', () => drop(candidate));
      try {
        await candidate.connect();
        await candidate.query(`listen ${CHANGE_CHANNEL}`);
      } catch {
        candidate.end().catch(() => undefined);
        scheduleReconnect();
        return;
      }
      if (closed) {
        await candidate.end().catch(() => undefined);
        return;
      }
      failures = 0;
      epoch++;
      client = candidate;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  // Round trips on the listening connection, shared by callers without ever answering one too
  // early: a caller is covered only by a round trip sent after its call. One is in flight at most,
  // and everyone who asks meanwhile shares the next (as coalescedFsync in database.ts).
  let inFlight: Promise<void> = Promise.resolve();
  let next: Promise<void> | null = null;
  function barrier(on: pg.Client): Promise<void> {
    next ??= inFlight
      .catch(() => undefined)
      .then(() => {
        next = null;
        inFlight = on.query('select 1').then(() => undefined);
        return inFlight;
      });
    return next;
  }

  return {
    users: 0,
    async stamp(schema) {
      if (closed) return null;
      // The first caller waits for the first connection; after a failure, callers read the
      // database until the scheduled attempt succeeds (no connection storm).
      if (!client && !retry) await connect();
      const on = client;
      if (!on) return null;
      const at = epoch;
      try {
        await barrier(on);
      } catch {
        return null;
      }
      if (client !== on || epoch !== at) return null;
      return `${at}:${counts.get(schema) ?? 0}`;
    },
    backendPid: () => (client as (pg.Client & { processID?: number }) | null)?.processID ?? null,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = null;
      await connecting?.catch(() => undefined);
      const last = client;
      client = null;
      await last?.end().catch(() => undefined);
    },
  };
}
