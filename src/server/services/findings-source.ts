import type { Finding } from '../../domain/insights/types.ts';
import type { Repositories } from '../db/repositories/index.ts';

/**
 * Where the evaluation and the dashboard get a round's findings: the insight service's
 * `findingsIn` (it runs the engine over the round with the office's decisions), inside the
 * caller's read transaction. Passed in rather than imported so each service is tested with the
 * real one and the composition (services/index.ts) names it once.
 */
export type FindingsSource = (repositories: Repositories, roundId: number) => Promise<Finding[]>;
