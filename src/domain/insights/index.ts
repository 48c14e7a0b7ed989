/**
 * The insight engine (issue 15, decision 032): pure reading of a round's prose — arithmetic the
 * answers state, indicators the tasks set, stale and duplicate answers, answers without facts,
 * and silent co-units. No database, no I/O: the service, the CLI and the benchmark feed it.
 */
export { analyseRound, comparePlaces } from './analyse.ts';
export { expectedAt, indicatorKey, readTargets, roundYearFraction, sectionContextYears, trajectory, verdictOf } from './indicators.ts';
export { statedRelations } from './arithmetic.ts';
export { hasNewFacts } from './facts.ts';
export { normaliseForSimilarity, SAME_ANSWER, similarityOf } from './similarity.ts';
export { EVALUATION_COUNT_LABELS, EXPLAIN_LABEL, FINDING_COUNT_LABELS, FINDING_KIND_LABELS, VERDICT_LABELS } from './words.ts';
export type * from './types.ts';
