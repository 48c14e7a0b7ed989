import type { Actor } from '../../domain/actor.ts';
import type { SearchHitView } from '../../domain/api/plan-view.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { SearchLimits } from '../../domain/limits.ts';
import { normaliseWhitespace, stripControlCharacters } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { answerVisibilityOf, assertCanReadPlans } from '../policies/plan.policy.ts';
import { presentSearchHit, type SearchHit } from '../presenters/search.presenter.ts';

export type SearchInput = { q: string; planId?: number | undefined };

/**
 * The terms of a query as typed: control characters dropped, split on any whitespace
 * (U+3000 too), duplicates removed. Empty, too long or too many terms is the caller's
 * mistake (422). Nothing else is changed: stored text keeps its full-width brackets, so the
 * query does too.
 */
export function parseSearchQuery(q: string): string[] {
  if (q.length > SearchLimits.q.max)
    throw invalid('search_query_too_long', `搜索内容不能超过 ${SearchLimits.q.max} 个字符`, {
      field: 'q',
      max: SearchLimits.q.max,
    });
  const cleaned = normaliseWhitespace(stripControlCharacters(q));
  if (cleaned === '') throw invalid('search_query_empty', '请输入要搜索的内容', { field: 'q' });
  const terms = [...new Set(cleaned.split(' '))];
  if (terms.length > SearchLimits.terms.max)
    throw invalid('search_query_too_many_terms', `搜索词不能超过 ${SearchLimits.terms.max} 个`, {
      field: 'q',
      max: SearchLimits.terms.max,
    });
  return terms;
}

/** Answers waiting for the progress text index (migration 009) at which a search first catches it up. */
export const PROGRESS_INDEX_CATCH_UP_AT = 500;

/**
 * Chinese full-text search over task text and progress text, in plan order; a task's own
 * text before its progress, newer rounds first. At most `SearchLimits.hits.max` hits (tests
 * may lower `maxHits`).
 */
export function createSearchService(deps: { database: Database; maxHits?: number; progressIndexCatchUpAt?: number }) {
  const { database } = deps;
  const limit = deps.maxHits ?? SearchLimits.hits.max;

  async function search(actor: Actor, input: SearchInput): Promise<SearchHitView[]> {
    assertCanReadPlans(actor);
    const terms = parseSearchQuery(input.q);
    // Saves leave the progress text index behind (migration 009). Searches find the answers
    // waiting for it all the same (their LIKE check reads them); once many wait, a search
    // catches the index up, so that list stays short. Below that a search writes nothing.
    if (
      (await inReadTransaction(database, (repositories) => repositories.search.countProgressIndexBacklog())) >=
      (deps.progressIndexCatchUpAt ?? PROGRESS_INDEX_CATCH_UP_AT)
    )
      await inTransaction(database, (repositories) => repositories.search.syncProgressIndex());
    const hits = await inReadTransaction(database, async (repositories) => {
      if (input.planId !== undefined && !(await repositories.planViews.findPlanSummary(input.planId)))
        throw notFound('plan_not_found', `分工方案 ${input.planId} 不存在`, { planId: input.planId });
      const options = { terms, planId: input.planId, limit };
      // A task's text as it stands (020): a version replaced by an edit is not a second hit.
      const tasks = await repositories.search.searchTaskText({ ...options, latestOnly: true });
      const progress = await repositories.search.searchProgressText({ ...options, visibility: answerVisibilityOf(actor) });
      return mergeInPlanOrder(tasks, progress);
    });
    return hits.slice(0, limit).map((hit) => presentSearchHit(hit, terms));
  }

  return { search };
}

export type SearchService = ReturnType<typeof createSearchService>;

type Positioned = { planId: number; position: number };

/** Both lists come sorted by (plan, task position); a stable sort keeps each list's own order within a task. */
function mergeInPlanOrder(
  tasks: readonly (Positioned & { taskId: number; text: string })[],
  progress: readonly (Positioned & { taskId: number; text: string; roundLabel: string; unitName: string | null })[],
): SearchHit[] {
  const merged: (SearchHit & Positioned & { order: number })[] = [
    ...tasks.map((hit) => ({ ...hit, field: 'task' as const, roundLabel: null, unitName: null, order: 0 })),
    ...progress.map((hit) => ({ ...hit, field: 'progress' as const, order: 1 })),
  ];
  merged.sort((a, b) => a.planId - b.planId || a.position - b.position || a.order - b.order);
  return merged.map((hit) => ({
    taskId: hit.taskId,
    planId: hit.planId,
    field: hit.field,
    roundLabel: hit.roundLabel,
    unitName: hit.unitName,
    text: hit.text,
  }));
}
