import type { Compilable, CompiledQuery, DatabaseConnection, Kysely, QueryResult } from 'kysely';
import { dialectOf, type Dialect } from './database.ts';
import type { DB } from './schema.ts';

const SLOT = Symbol('prepared query argument');
type Slot = { readonly [SLOT]: string };

function isSlot(value: unknown): value is Slot {
  return typeof value === 'object' && value !== null && SLOT in value;
}

/** Where each bound parameter of the compiled SQL comes from: a named argument, or a constant of the query. */
type Binding = { argument: string } | { constant: unknown };

/**
 * A query on the hot paths (session lookup, to-do list, draft save), built with kysely once per
 * engine and then run with new values. Building and compiling a kysely query costs more than
 * running it on SQLite (a 20-column session lookup: about 65 µs to build, 27 µs to compile,
 * 26 µs to run), and these run on every request; see docs/decisions/016-hot-path-queries.md.
 *
 * `build` is called once per engine with a stand-in for each named argument it reads: it must use
 * them only as values the query binds (`where(col, '=', args.id)`, `set({ col: args.text })`,
 * `limit(args.n)`), never to choose the query's shape (no `if`, no `in` lists, no spreading
 * `args`); an argument read but not bound makes the first run throw.
 *
 * Constants are bound too, which costs where SQLite plans with the value: write a fixed LIMIT
 * as `limit(sql.lit(1))`. The audit chain's "last hash" query took about 30 µs with `limit ?`
 * and about 3 µs with `limit 1` under the save benchmark's load (decision 017).
 */
export function preparedQuery<A extends Record<string, unknown>, R>(build: (db: Kysely<DB>, args: A) => Compilable<R>) {
  const compiled = new Map<Dialect, { query: CompiledQuery<R>; bindings: Binding[] }>();

  function compile(db: Kysely<DB>, dialect: Dialect) {
    const read = new Set<string>();
    const standIns = new Proxy({} as A, {
      get(_target, name) {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return { [SLOT]: name } satisfies Slot;
      },
    });
    const query = build(db, standIns).compile();
    const bindings = query.parameters.map((value): Binding => (isSlot(value) ? { argument: value[SLOT] } : { constant: value }));
    const unbound = [...read].filter((name) => !bindings.some((binding) => 'argument' in binding && binding.argument === name));
    if (unbound.length > 0) throw new Error(`preparedQuery: argument ${unbound.join(', ')} is not a bound parameter of the query: ${query.sql}`);
    const entry = { query, bindings };
    compiled.set(dialect, entry);
    return entry;
  }

  return {
    /** Runs the query on `db` (the database or a transaction) with these values. */
    async execute(db: Kysely<DB>, args: A): Promise<QueryResult<R>> {
      const dialect = dialectOf(db);
      const { query, bindings } = compiled.get(dialect) ?? compile(db, dialect);
      const parameters = bindings.map((binding) => ('argument' in binding ? args[binding.argument] : binding.constant));
      const held = heldConnections.get(db);
      return held ? held.executeQuery<R>({ ...query, parameters }) : db.executeQuery<R>({ ...query, parameters });
    },
  };
}

/** Transactions whose holder lets their prepared queries skip kysely's executor (`holdConnection`). */
const heldConnections = new WeakMap<Kysely<DB>, DatabaseConnection>();

/**
 * For the group commit's shared transaction on SQLite (db/transaction.ts), which holds the one
 * connection from BEGIN to COMMIT: from now until `release`, a prepared query on `trx` runs on
 * the driver's connection directly. kysely's executor around it (connection provider, its lock,
 * result plugins — there are none) cost about 7 µs a query, against 1 µs for the statement on a
 * small table; a draft save runs six. Safe only while nothing else can use the connection: on
 * SQLite every statement runs to completion synchronously, and the holder releases before COMMIT.
 */
export async function holdConnection(trx: Kysely<DB>): Promise<{ connection: DatabaseConnection; release: () => void }> {
  // provideConnection hands out the transaction's connection and takes it back at once: queries
  // built the usual way on `trx` still queue for it as before.
  const connection = await trx.getExecutor().provideConnection(async (held) => held);
  heldConnections.set(trx, connection);
  return { connection, release: () => heldConnections.delete(trx) };
}
