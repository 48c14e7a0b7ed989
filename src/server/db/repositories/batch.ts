/**
 * Rows per multi-row INSERT or `IN (…)` list: well under both engines' parameter limits
 * (SQLite 32,766, PostgreSQL 65,535) for tables of up to ~60 columns, and large enough that
 * a 10,000-task import is a few dozen statements, not ten thousand.
 */
export const BATCH_SIZE = 500;

export function* batches<T>(items: readonly T[], size = BATCH_SIZE): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
