import { statedRelations } from './arithmetic.ts';
import { hasNewFacts } from './facts.ts';
import { actualsIn, aliasesOf, bestActual, expectedAt, readTargets, roundYearFraction, verdictOf, type ActualCandidate } from './indicators.ts';
import { silentUnits } from './silence.ts';
import { nearDuplicates, normaliseForSimilarity, SAME_ANSWER, SHORT_ANSWER, shownSimilarity, similarityOf } from './similarity.ts';
import type {
  AnalyseRoundInput,
  Finding,
  FindingKind,
  IndicatorActual,
  IndicatorDecision,
  IndicatorFinding,
  IndicatorTarget,
  InsightAnswer,
  InsightTask,
  TaskPlace,
} from './types.ts';
import { groupBy } from '../group-by.ts';

const KIND_ORDER: Record<FindingKind, number> = { arithmetic: 0, indicator: 1, stale: 2, duplicate: 3, no_new_facts: 4, silent_unit: 5 };

export function comparePlaces(a: TaskPlace, b: TaskPlace): number {
  return a.chapter - b.chapter || a.section - b.section || a.index - b.index;
}

function compareUnits(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

interface Indicator {
  key: string;
  name: string;
  target: IndicatorTarget;
  targetQuote: string;
  status: 'proposed' | 'confirmed';
}

/** The task's indicators: proposals read from its text, with the office's decisions applied. */
function indicatorsOf(task: InsightTask, decisionsOfLineage: IndicatorDecision[] | undefined): Indicator[] {
  const decisions = new Map((decisionsOfLineage ?? []).map((d) => [d.key, d]));
  const out: Indicator[] = [];
  for (const proposal of readTargets(task.text, task.contextYear)) {
    const decision = decisions.get(proposal.key);
    decisions.delete(proposal.key);
    if (decision?.state === 'rejected') continue;
    out.push({
      key: proposal.key,
      name: decision?.name ?? proposal.name,
      target: decision?.target ?? proposal.target,
      targetQuote: proposal.quote,
      status: decision ? 'confirmed' : 'proposed',
    });
  }
  // An indicator the office set itself (no proposal carries its key): kept when it says what it measures.
  for (const decision of decisions.values()) {
    if (decision.state === 'confirmed' && decision.target && decision.name) {
      out.push({ key: decision.key, name: decision.name, target: decision.target, targetQuote: '', status: 'confirmed' });
    }
  }
  return out;
}

/**
 * Which figure reports which indicator: each figure goes to the indicator naming it best — a
 * strong name over a head noun, then the mention nearest the figure; a full tie is left out.
 */
function actualsByIndicator(indicators: Indicator[], text: string): Map<string, ActualCandidate[]> {
  const perIndicator = indicators.map((indicator) => actualsIn(text, aliasesOf(indicator.name), indicator.target.unit));
  const bestAt = new Map<number, { score: number; mentionAt: number; tied: boolean; index: number }>();
  perIndicator.forEach((candidates, index) => {
    for (const candidate of candidates) {
      const seen = bestAt.get(candidate.at);
      const better = !seen || candidate.score > seen.score || (candidate.score === seen.score && candidate.mentionAt > seen.mentionAt);
      if (better) bestAt.set(candidate.at, { score: candidate.score, mentionAt: candidate.mentionAt, tied: false, index });
      else if (candidate.score === seen.score && candidate.mentionAt === seen.mentionAt) seen.tied = true;
    }
  });
  const out = new Map<string, ActualCandidate[]>();
  indicators.forEach((indicator, index) => {
    out.set(
      indicator.key,
      perIndicator[index]!.filter((candidate) => {
        const best = bestAt.get(candidate.at)!;
        return !best.tied && best.index === index;
      }),
    );
  });
  return out;
}

/** Everything the round's prose shows (decision 032), sorted by task place, then kind, then unit. */
export function analyseRound(input: AnalyseRoundInput): Finding[] {
  const { round, previous, tasks } = input;
  const findings: Finding[] = [];
  const taskById = new Map<number, InsightTask>();
  const unitNames = new Map<number, string>();
  for (const task of tasks) {
    taskById.set(task.id, task);
    for (const unit of task.units) unitNames.set(unit.unitId, unit.name);
  }
  for (const answer of round.answers) if (answer.unitId !== null && answer.unitName) unitNames.set(answer.unitId, answer.unitName);
  const answersByTask = groupBy(round.answers, (answer) => answer.taskId);
  const base = (task: InsightTask, unitId: number | null, unit: string | null) => ({ task: task.place, taskId: task.id, unit, unitId });
  const unitOf = (answer: InsightAnswer) => answer.unitName ?? (answer.unitId !== null ? (unitNames.get(answer.unitId) ?? null) : null);

  // Arithmetic and "no new facts", answer by answer.
  for (const answer of round.answers) {
    const task = taskById.get(answer.taskId);
    if (!task || answer.text.trim() === '') continue;
    const unit = unitOf(answer);
    for (const relation of statedRelations(answer.text)) {
      findings.push({
        kind: 'arithmetic',
        ...base(task, answer.unitId, unit),
        relation: relation.relation,
        quote: relation.quote,
        stated: relation.stated,
        computed: relation.computed,
        ok: relation.ok,
      });
    }
    if (!hasNewFacts(answer.text)) findings.push({ kind: 'no_new_facts', ...base(task, answer.unitId, unit), quote: answer.text.trim() });
  }

  // Indicators, task by task.
  const yearFraction = roundYearFraction(round.periodEnd);
  // Decisions grouped once (by lineage; actuals by lineage and key), so each task looks up its own.
  const indicatorDecisions = groupBy(input.indicatorDecisions, (d) => d.taskLineage);
  const actualDecisionsOf = groupBy(
    input.actualDecisions.filter((d) => d.roundId === round.id),
    (d) => `${d.taskLineage}|${d.key}`,
  );
  for (const task of tasks) {
    const indicators = indicatorsOf(task, indicatorDecisions.get(task.lineage));
    if (indicators.length === 0) continue;
    const answers = (answersByTask.get(task.id) ?? []).filter((answer) => answer.text.trim() !== '');
    const figures = answers.map((answer) => actualsByIndicator(indicators, answer.text));
    const lead = task.units.find((unit) => unit.role === 'lead' && !unit.collective) ?? null;
    for (const indicator of indicators) {
      const expected = expectedAt(indicator.target, yearFraction);
      const emit = (unitId: number | null, unit: string | null, actual: IndicatorActual | null, actualConfirmed: boolean) => {
        const finding: IndicatorFinding = {
          kind: 'indicator',
          ...base(task, unitId, unit),
          key: indicator.key,
          name: indicator.name,
          target: indicator.target,
          targetQuote: indicator.targetQuote,
          actual,
          expected,
          verdict: verdictOf(indicator.target, actual, expected),
          status: indicator.status,
          actualStatus: actual === null ? null : actualConfirmed ? 'confirmed' : 'proposed',
        };
        findings.push(finding);
      };
      let reported = 0;
      const decisions = new Map((actualDecisionsOf.get(`${task.lineage}|${indicator.key}`) ?? []).map((d) => [d.unitId, d]));
      answers.forEach((answer, index) => {
        const decision = decisions.get(answer.unitId);
        decisions.delete(answer.unitId);
        let actual = bestActual(indicator.target, figures[index]!.get(indicator.key) ?? []);
        if (decision?.state === 'rejected') actual = null;
        else if (decision?.state === 'confirmed' && decision.actual) actual = decision.actual;
        if (actual) {
          reported++;
          emit(answer.unitId, unitOf(answer), actual, decision?.state === 'confirmed');
        }
      });
      // An actual the office entered for a unit whose answer did not carry it.
      for (const decision of decisions.values()) {
        if (decision.state === 'confirmed' && decision.actual) {
          reported++;
          emit(decision.unitId, decision.unitId !== null ? (unitNames.get(decision.unitId) ?? null) : null, decision.actual, true);
        }
      }
      if (reported === 0) emit(lead?.unitId ?? null, lead?.name ?? null, null, false);
    }
  }

  // Stale: the same unit's answer to the same task (by lineage) in the previous round. An
  // unattributed answer there (an imported round names nobody on a one-unit task) may be anyone's
  // on the task, so it is compared too; an unattributed answer now is compared with all of them.
  const lineageOf = (taskId: number) => taskById.get(taskId)?.lineage ?? taskId;
  // Each text normalised once: an answer is read for stale and duplicate, and the same words recur.
  const normalisedTexts = new Map<string, string>();
  const normalised = (text: string) => {
    let out = normalisedTexts.get(text);
    if (out === undefined) {
      out = normaliseForSimilarity(text);
      normalisedTexts.set(text, out);
    }
    return out;
  };
  if (previous) {
    // Last round's texts by lineage and unit; an attributed text also under `lineage|*`.
    const before = groupBy(
      previous.answers.flatMap((answer) => {
        const text = normalised(answer.text);
        if (text === '') return [];
        const lineage = lineageOf(answer.taskId);
        return [{ key: `${lineage}|${answer.unitId ?? ''}`, text }, ...(answer.unitId !== null ? [{ key: `${lineage}|*`, text }] : [])];
      }),
      (entry) => entry.key,
      (entry) => entry.text,
    );
    for (const answer of round.answers) {
      const task = taskById.get(answer.taskId);
      if (!task || answer.text.trim() === '') continue;
      const earlier = [
        ...(before.get(`${task.lineage}|${answer.unitId ?? ''}`) ?? []),
        ...(answer.unitId !== null ? (before.get(`${task.lineage}|`) ?? []) : (before.get(`${task.lineage}|*`) ?? [])),
      ];
      if (earlier.length === 0 && !answer.copiedUnchanged) continue;
      const now = normalised(answer.text);
      let similarity = earlier.length === 0 ? 1 : 0;
      for (const text of earlier) similarity = Math.max(similarity, similarityOf(now, text));
      if (similarity >= SAME_ANSWER || answer.copiedUnchanged) {
        findings.push({
          kind: 'stale',
          ...base(task, answer.unitId, unitOf(answer)),
          similarity: shownSimilarity(similarity),
          against: previous.label,
          copiedUnchanged: answer.copiedUnchanged,
        });
      }
    }
  }

  // Duplicates across tasks of this round: identical texts by key, near ones through LSH.
  const ordered = round.answers
    .map((answer) => ({ answer, task: taskById.get(answer.taskId), unit: unitOf(answer), text: normalised(answer.text) }))
    .filter((entry): entry is typeof entry & { task: InsightTask } => entry.task !== undefined && entry.text !== '')
    .sort((a, b) => comparePlaces(a.task.place, b.task.place) || compareUnits(a.unit, b.unit));
  const groups = new Map<string, { first: number; otherTask: number }>();
  const representatives: number[] = [];
  const duplicateOf = (index: number, other: number, similarity: number) => {
    const entry = ordered[index]!;
    const earlier = ordered[other]!;
    findings.push({
      kind: 'duplicate',
      ...base(entry.task, entry.answer.unitId, entry.unit),
      other: earlier.task.place,
      otherTaskId: earlier.task.id,
      otherUnit: earlier.unit,
      similarity: shownSimilarity(similarity),
    });
  };
  ordered.forEach((entry, index) => {
    const group = groups.get(entry.text);
    if (!group) {
      groups.set(entry.text, { first: index, otherTask: -1 });
      representatives.push(index);
      return;
    }
    const first = ordered[group.first]!;
    if (first.task.id !== entry.task.id) {
      duplicateOf(index, group.first, 1);
      if (group.otherTask === -1) group.otherTask = index;
    } else if (group.otherTask !== -1) duplicateOf(index, group.otherTask, 1);
  });
  const longOnes = representatives.filter((index) => ordered[index]!.text.length >= SHORT_ANSWER);
  const near = nearDuplicates(longOnes.map((index) => ({ text: ordered[index]!.text, task: ordered[index]!.task.id })));
  near.forEach(({ other, similarity }, i) => {
    if (other !== -1) duplicateOf(longOnes[i]!, longOnes[other]!, similarity);
  });

  // Silent co-units.
  for (const { task, unit } of silentUnits(round, tasks, answersByTask, unitNames)) {
    findings.push({ kind: 'silent_unit', ...base(task, unit.unitId, unit.name) });
  }

  return findings
    .map((finding, order) => ({ finding, order }))
    .sort(
      (a, b) =>
        comparePlaces(a.finding.task, b.finding.task) ||
        KIND_ORDER[a.finding.kind] - KIND_ORDER[b.finding.kind] ||
        compareUnits(a.finding.unit, b.finding.unit) ||
        a.order - b.order,
    )
    .map(({ finding }) => finding);
}
