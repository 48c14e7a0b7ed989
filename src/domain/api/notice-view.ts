import type { CompiledTable } from '../compiled-table.ts';
import type { Notice } from '../plan-document.ts';

/** GET /api/rounds/:roundId/compiled: the notice and table as the office issues them. */
export type CompiledRoundView = { notice: Notice; table: CompiledTable; fileBaseName: string };
