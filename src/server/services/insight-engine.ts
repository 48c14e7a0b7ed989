/**
 * The insight engine as the service, the CLI and the benchmark call it: src/domain/insights
 * (i15-engine, merged here).
 */
export { analyseRound } from '../../domain/insights/index.ts';
