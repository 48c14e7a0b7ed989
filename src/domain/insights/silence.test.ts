import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentUnits } from './silence.ts';
import type { InsightAnswer, InsightRound, InsightTask } from './types.ts';

const unit = (unitId: number, name: string, role: 'lead' | 'co' = 'co', collective = false) => ({ unitId, name, role, collective });
const task = (id: number, units: InsightTask['units']): InsightTask => ({
  id,
  lineage: id,
  place: { chapter: 1, section: 1, index: id },
  text: '',
  contextYear: null,
  units,
  leaders: [],
});
const answer = (taskId: number, unitId: number | null, text = '已完成。'): InsightAnswer => ({ taskId, unitId, unitName: null, text, copiedUnchanged: false });
const round = (imported: boolean, answers: InsightAnswer[], asked: InsightRound['asked'] = []): InsightRound => ({
  id: 1,
  label: 'r',
  periodStart: null,
  periodEnd: null,
  imported,
  answers,
  asked,
});

function silent(r: InsightRound, tasks: InsightTask[]): string[] {
  const byTask = new Map<number, InsightAnswer[]>();
  for (const a of r.answers) byTask.set(a.taskId, [...(byTask.get(a.taskId) ?? []), a]);
  return silentUnits(r, tasks, byTask, new Map([[9, '监测处']])).map((s) => `${s.task.id}:${s.unit.name}`);
}

describe('silent co-units', () => {
  const tasks = [
    task(1, [unit(1, '水处', 'lead'), unit(2, '土壤处'), unit(3, '生态处')]),
    task(2, [unit(1, '水处', 'lead'), unit(3, '生态处')]),
    task(3, [unit(3, '生态处', 'lead')]),
    task(4, [unit(10, '各处(室)', 'lead', true), unit(1, '水处')]),
  ];

  it('reads an imported round’s attributions, and does not guess where there are none', () => {
    const r = round(true, [answer(1, 1), answer(2, null), answer(3, null), answer(4, 1)]);
    assert.deepEqual(silent(r, tasks), ['1:土壤处', '1:生态处']);
  });

  it('in a live round, names every asked unit without an answer, collective ones never', () => {
    const r = round(
      false,
      [answer(1, 1), answer(2, 3, '  ')],
      [
        { taskId: 1, unitId: 1 },
        { taskId: 1, unitId: 2 },
        { taskId: 2, unitId: 3 },
        { taskId: 4, unitId: 10 },
        { taskId: 4, unitId: 9 },
      ],
    );
    assert.deepEqual(silent(r, tasks), ['1:土壤处', '2:生态处', '4:监测处']);
  });
});
