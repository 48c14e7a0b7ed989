import { isCollectiveUnitName } from '../../src/domain/collective-units.ts';
import { sectionContextYears } from '../../src/domain/insights/index.ts';
import type { AnalyseRoundInput, InsightAnswer, InsightRound, InsightTask } from '../../src/domain/insights/types.ts';
import type { PlanDocument } from '../../src/domain/plan-document.ts';
import { readSeedDocument } from './seeded-plan.ts';

/**
 * The seed (or any plan document) as the insight engine's input, without a database: tasks with
 * their places, units with made-up ids (by name), and the document's round as an imported round.
 */
export function insightInputOf(document: PlanDocument = readSeedDocument()): AnalyseRoundInput & { unitId: (name: string) => number } {
  const unitIds = new Map<string, number>();
  const unitId = (name: string) => {
    let id = unitIds.get(name);
    if (id === undefined) {
      id = 1000 + unitIds.size;
      unitIds.set(name, id);
    }
    return id;
  };
  const tasks: InsightTask[] = [];
  const answers: InsightAnswer[] = [];
  let nextTaskId = 1;
  for (const chapter of document.chapters) {
    for (const section of chapter.sections) {
      const years = sectionContextYears(section.tasks.map((task) => task.text));
      section.tasks.forEach((task, index) => {
        const id = nextTaskId++;
        tasks.push({
          id,
          lineage: id,
          place: { chapter: chapter.number, section: section.number, index: index + 1 },
          text: task.text,
          contextYear: years[index] ?? null,
          units: task.units.map((unit) => ({
            unitId: unitId(unit.name),
            name: unit.name,
            role: unit.role as 'lead' | 'co',
            collective: isCollectiveUnitName(unit.name),
          })),
          leaders: task.leaders,
        });
        for (const entry of task.progress) {
          answers.push({ taskId: id, unitId: entry.unit ? unitId(entry.unit) : null, unitName: entry.unit, text: entry.text, copiedUnchanged: false });
        }
      });
    }
  }

  const round: InsightRound = {
    id: 1,
    label: document.round.label,
    periodStart: document.round.periodStart,
    periodEnd: document.round.periodEnd,
    imported: true,
    answers,
    asked: [],
  };
  return { round, previous: null, tasks, indicatorDecisions: [], actualDecisions: [], unitId };
}
