import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tasksOf, type PlanDocument } from '../../domain/plan-document.ts';
import { readSeedText } from './seed-text.reader.ts';

/**
 * docs/promises.md bad input 6: names typed with trailing U+3000, spaces, full-width or half-width
 * brackets are normalised to the one name; an attribution to a unit nobody knows is never guessed.
 */
const seedText = readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url)), 'utf8');
const CHENGDU = '推动成都平原经济区';

function chengduOf(document: PlanDocument) {
  return [...tasksOf(document)].find(({ task }) => task.text.startsWith(CHENGDU))!.task;
}

function edited(edit: (cells: string[]) => void): PlanDocument {
  const lines = seedText.split('\n');
  const index = lines.findIndex((line) => line.includes(CHENGDU));
  const cells = lines[index]!.split('\t');
  edit(cells);
  lines[index] = cells.join('\t');
  return readSeedText(lines.join('\n'), 'edited.txt').document;
}

test('trailing U+3000, inner spaces and half-width brackets give the same names and attributions', () => {
  const original = chengduOf(readSeedText(seedText, 'seed.txt').document);
  const variant = chengduOf(
    edited((cells) => {
      cells[4] = '高\u3000洁\u3000 钟勤建\u3000'; // leaders
      cells[5] = '环评处\u3000、 规 财 处\u3000'; // units
      cells[6] = cells[6]!.replace('(环评处)', '( 环评处 )').replace('(规财处)', '（规财处）\u3000');
    }),
  );
  assert.deepEqual(variant.leaders, ['高洁', '钟勤建']);
  assert.deepEqual(variant.units, original.units);
  assert.deepEqual(
    variant.progress.map((entry) => entry.unit),
    ['环评处', '规财处'],
  );
  assert.deepEqual(
    variant.progress.map((entry) => entry.text),
    original.progress.map((entry) => entry.text),
  );
});

test('an attribution to an unknown unit is not guessed: the text stays with the unit the document names, or none', () => {
  const variant = chengduOf(edited((cells) => (cells[6] = cells[6]!.replace('(规财处)', '(不存在的处)'))));
  const last = variant.progress.at(-1)!;
  assert.notEqual(last.unit, '规财处', 'never attributed to a unit the text does not name');
  assert.match(last.text, /不存在的处/, 'the unknown name stays in the text, where a person can see it');
});
