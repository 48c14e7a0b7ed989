/** Table types of migration `002_accounts` (see schema.ts for the conventions). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by migration 002_accounts
export interface AccountTables {}
