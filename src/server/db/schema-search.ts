/** Table types of migration `004_search` (see schema.ts for the conventions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by migration 004_search
export interface SearchTables {}
