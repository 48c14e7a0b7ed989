/** Table types of migration `003_round_work` (see schema.ts for the conventions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by migration 003_round_work
export interface RoundWorkTables {}
