import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { dialectOf } from '../database.ts';
import { catchUpProgressIndex } from '../migrations/009_deferred_progress_search.ts';
import type { DB } from '../schema.ts';

/**
 * Whose answers in a round that is still open an actor may read: everything (office, leaders),
 * or one unit's own answers plus its co-units' on the tasks it leads. Closed and imported
 * rounds are readable by every business role.
 */
export type AnswerVisibility = { kind: 'all' } | { kind: 'unit'; unitId: number | null };

export type SearchOptions = {
  /** Non-empty, already normalised terms; a row matches when its text holds every one. */
  terms: readonly string[];
  planId?: number | undefined;
  limit?: number | undefined;
};

export type TaskTextHit = { taskId: number; planId: number; position: number; text: string };
export type ProgressTextHit = { taskId: number; planId: number; position: number; roundId: number; roundLabel: string; unitName: string | null; text: string };

/** Terms this long or longer go through the trigram index; shorter ones are plain substring scans. */
export const TRIGRAM_MIN_CHARS = 3;

/**
 * Chinese full-text search (docs/decisions/004-chinese-search.md). SQLite: FTS5 trigram
 * tables `tasks_fts` / `progress_entries_fts` for terms of 3+ characters, `LIKE` for shorter
 * ones. PostgreSQL: `ILIKE` on every term, which the pg_trgm GIN indexes serve for 3+
 * characters. Every term is a bound parameter; LIKE wildcards in it are escaped.
 */
export function createSearchRepository(db: Kysely<DB>) {
  const dialect = dialectOf(db);

  /** `<table>.text` holds every term (each table's FTS5 twin is keyed by its `id`). */
  function matchesAll(table: 'tasks' | 'progress_entries', terms: readonly string[]): Expression<SqlBool> {
    const column = sql.ref(`${table}.text`);
    const conditions = terms.map((term) => sql<SqlBool>`${column} ${sql.raw(dialect === 'sqlite' ? 'like' : 'ilike')} ${likePattern(term)} escape '\\'`);
    if (dialect === 'sqlite') {
      const long = terms.filter((term) => charCount(term) >= TRIGRAM_MIN_CHARS);
      if (long.length > 0) {
        const fts = sql.table(`${table}_fts`);
        // The FTS5 lookup narrows the rows through the index; the LIKE conditions stay as
        // well, so both engines answer exactly the same substring semantics.
        const indexed = sql<SqlBool>`${sql.ref(`${table}.id`)} in (select rowid from ${fts} where ${fts} match ${ftsQuery(long)})`;
        // Answers saved since the index last caught up (migration 009) are not in it yet: they
        // are few, and the LIKE conditions check them.
        conditions.unshift(
          table === 'progress_entries' ? sql<SqlBool>`(${indexed} or ${sql.ref(`${table}.id`)} in (select id from progress_entries_fts_pending))` : indexed,
        );
      }
    }
    return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
  }

  return {
    /** How many answers saved since the last catch-up the progress text index is missing (SQLite; migration 009). */
    async countProgressIndexBacklog(): Promise<number> {
      if (dialectOf(db) !== 'sqlite') return 0;
      const { rows } = await sql<{ n: number }>`select count(*) as n from progress_entries_fts_pending`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },

    /** Brings the progress text index up to date (SQLite, migration 009); call in a write transaction. Nothing to do on PostgreSQL. */
    async syncProgressIndex(): Promise<void> {
      if (dialectOf(db) === 'sqlite') await catchUpProgressIndex(db);
    },

    /** Tasks whose text holds every term, in plan order; `latestOnly`: not versions replaced by a newer one (020). */
    async searchTaskText(options: SearchOptions & { latestOnly?: boolean }): Promise<TaskTextHit[]> {
      if (options.terms.length === 0) return [];
      let query = db
        .selectFrom('tasks')
        .select(['tasks.id as taskId', 'tasks.plan_id as planId', 'tasks.position', 'tasks.text'])
        .where(matchesAll('tasks', options.terms));
      if (options.latestOnly) query = query.where('tasks.replaced_by', 'is', null);
      if (options.planId !== undefined) query = query.where('tasks.plan_id', '=', options.planId);
      query = query.orderBy('tasks.plan_id').orderBy('tasks.position');
      if (options.limit !== undefined) query = query.limit(options.limit);
      return query.execute();
    },

    /**
     * Progress entries whose text holds every term, in plan order, newest round first within a
     * task; only those `visibility` allows; optionally of one round only.
     */
    async searchProgressText(options: SearchOptions & { roundId?: number | undefined; visibility: AnswerVisibility }): Promise<ProgressTextHit[]> {
      if (options.terms.length === 0) return [];
      let query = db
        .selectFrom('progress_entries')
        .innerJoin('tasks', 'tasks.id', 'progress_entries.task_id')
        .innerJoin('rounds', 'rounds.id', 'progress_entries.round_id')
        .leftJoin('units', 'units.id', 'progress_entries.unit_id')
        .select([
          'progress_entries.task_id as taskId',
          'tasks.plan_id as planId',
          'tasks.position',
          'progress_entries.round_id as roundId',
          'rounds.label as roundLabel',
          'units.name as unitName',
          'progress_entries.text',
        ])
        .where(matchesAll('progress_entries', options.terms));
      if (options.planId !== undefined) query = query.where('tasks.plan_id', '=', options.planId);
      if (options.roundId !== undefined) query = query.where('progress_entries.round_id', '=', options.roundId);
      const visibility = options.visibility;
      if (visibility.kind === 'unit') {
        const unitId = visibility.unitId;
        query = query.where((eb) =>
          unitId === null
            ? eb('rounds.status', '<>', 'open')
            : eb.or([
                eb('rounds.status', '<>', 'open'),
                eb('progress_entries.unit_id', '=', unitId),
                eb.exists(
                  eb
                    .selectFrom('task_units')
                    .select('task_units.task_id')
                    .whereRef('task_units.task_id', '=', 'progress_entries.task_id')
                    .where('task_units.unit_id', '=', unitId)
                    .where('task_units.role', '=', 'lead'),
                ),
              ]),
        );
      }
      query = query.orderBy('tasks.plan_id').orderBy('tasks.position').orderBy('progress_entries.round_id', 'desc').orderBy('progress_entries.position');
      if (options.limit !== undefined) query = query.limit(options.limit);
      return query.execute();
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;

/** Characters as people count them (code points), not UTF-16 units. */
export function charCount(text: string): number {
  return [...text].length;
}

/** `%term%` with `\`, `%` and `_` taken literally (the queries say `escape '\'`). */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Every term as an FTS5 string (quotes doubled), all required: `"饮用水" AND "水源地"`. */
function ftsQuery(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(' AND ');
}
