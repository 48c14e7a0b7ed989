import type { InsightAnswer, InsightRound, InsightTask, InsightTaskUnit } from './types.ts';

/**
 * Silent co-units (decision 032): the listed units of a task that said nothing this round.
 * Live rounds: every asked (task, unit) without an answer. Imported rounds: the document's
 * attributions ("（水处）") say who spoke; a task whose answers name nobody is not guessed at,
 * except that a task listing one unit was answered by that unit.
 */
export interface Silence {
  task: InsightTask;
  unit: InsightTaskUnit | { unitId: number; name: string };
}

export function silentUnits(round: InsightRound, tasks: InsightTask[], answersByTask: Map<number, InsightAnswer[]>, unitNames: Map<number, string>): Silence[] {
  const out: Silence[] = [];
  if (!round.imported || round.asked.length > 0) {
    const taskById = new Map(tasks.map((task) => [task.id, task]));
    for (const { taskId, unitId } of round.asked) {
      const task = taskById.get(taskId);
      if (!task) continue;
      const listed = task.units.find((unit) => unit.unitId === unitId);
      if (listed?.collective) continue;
      const answered = (answersByTask.get(taskId) ?? []).some((answer) => answer.unitId === unitId && answer.text.trim() !== '');
      if (!answered) out.push({ task, unit: listed ?? { unitId, name: unitNames.get(unitId) ?? '' } });
    }
    return out;
  }
  for (const task of tasks) {
    const answers = (answersByTask.get(task.id) ?? []).filter((answer) => answer.text.trim() !== '');
    const listed = task.units.filter((unit) => !unit.collective);
    if (listed.length === 0) continue;
    const unattributed = answers.some((answer) => answer.unitId === null);
    const attributed = answers.some((answer) => answer.unitId !== null);
    // Answers nobody is named for may be any listed unit's: do not guess who was silent.
    if (unattributed) continue;
    if (!attributed && answers.length > 0) continue;
    const spoke = new Set(answers.map((answer) => answer.unitId));
    for (const unit of listed) if (!spoke.has(unit.unitId)) out.push({ task, unit });
  }
  return out;
}
