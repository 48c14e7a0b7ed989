import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Figures that cannot drift (issue 17, decision 044): every figure docs/benchmarks.md,
 * docs/security.md and README.md quote must be one a benchmark run recorded in docs/figures/*.json
 * (bench/figures.ts writes them), formatted as the document formats it (`6,923` and `6923.4` are the
 * same figure; `1.01` is any value that rounds to 1.01).
 *
 * A figure is a number next to a unit: `req/s`, `saves/s`, `commits/s`, `tasks/s`, `/s`, `ms`, `s`,
 * `KB`, `KiB`, `MiB`, `×` (before or after it), or a ratio `of A` / `of B` / `of B′`; and in a table,
 * every number of a column whose header names such a unit (`p99 ms`, `req/s`, `file KiB`, …).
 * Inside a benchmark's own section (`<!-- bench:<name>:start -->` … end) the figure must be in
 * that benchmark's file (`docs/figures/<name>.json`); elsewhere in any of them.
 *
 * Numbers with a unit that no benchmark measures (a limit, a setting, a constant) are listed in
 * ALLOWED with the words around them, so each is visible and fails when its words are gone.
 *
 *   node --import tsx scripts/doc-figures.ts      prints the figures no run recorded, exits 1 if any
 */

export const CHECKED_DOCUMENTS = ['docs/benchmarks.md', 'docs/security.md', 'README.md'];

/** A quoted number that is not benchmark output: the document, and words on its line that contain it. */
export interface Allowed {
  doc: string;
  quote: string;
  why: string;
}

export const ALLOWED: Allowed[] = [
  { doc: 'docs/security.md', quote: '19 MiB, 2 passes', why: 'the argon2id setting' },
  { doc: 'docs/security.md', quote: '6 digits, 30 s', why: 'the TOTP step (RFC 6238)' },
  { doc: 'docs/benchmarks.md', quote: 'fails above 300 KB brotli', why: "the build's budget (scripts/web-budget.ts)" },
  { doc: 'docs/benchmarks.md', quote: 'serving in under 2 s', why: "issue 17's target" },
  { doc: 'docs/benchmarks.md', quote: "the seed's dry run at most 1.5×", why: "issue 17's target" },
  { doc: 'docs/benchmarks.md', quote: 'tasks × 2, 4 and 8 rounds', why: 'the sizes bench:insights runs' },
  { doc: 'README.md', quote: 'where p99 passes 1 s', why: "where bench:load's ramp stops" },
  { doc: 'README.md', quote: 'tasks × 2–8 rounds', why: 'the sizes bench:insights runs' },
];

const UNIT = String.raw`(?:req\/s|saves\/s|reads\/s|commits\/s|tasks\/s|\/s|ms|(?<=\s)s|KB|KiB|MiB|×)`;
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
/** A number then its unit, a `×` then a number, or a ratio `of A`/`of B`/`of B′` (bold marks allowed). */
const FIGURE = new RegExp(
  String.raw`(?<![\w.,/#-])(?<after>${NUMBER})(?:\*\*)?(?:\s?(?<unit>${UNIT})(?![\w/])|\s(?<ratio>of (?:A|B′|B))(?![\w]))|×\s?(?:\*\*)?(?<before>${NUMBER})(?![\d])`,
  'gu',
);
const TABLE_UNIT = /\b(?:ms|KiB|MiB|KB)\b|\/s\b|\(s\)|per second/;
const TABLE_NUMBER = new RegExp(String.raw`(?<![\w.,/#-])(?:${NUMBER})(?![\w.,]*[a-zA-Z/])`, 'gu');

export interface Quoted {
  doc: string;
  line: number;
  text: string;
  /** The benchmark whose section holds the number, or null outside every section. */
  section: string | null;
  /** Where it stands on its line (for the allow-list). */
  column: number;
}

/** The figures a document quotes: numbers with a unit, in prose and in unit columns of tables. */
export function quotedFigures(doc: string, markdown: string): Quoted[] {
  const found: Quoted[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  let section: string | null = null;
  let header: string[] | null = null;
  lines.forEach((raw, index) => {
    const marker = /<!-- bench:([\w-]+):(start|end) -->/.exec(raw);
    if (marker) section = marker[2] === 'start' ? marker[1]! : null;
    if (/^\s*```/.test(raw)) fenced = !fenced;
    if (fenced) return;
    // Inline code (commands, paths, options) is not a figure: blank it, keeping the columns.
    const line = raw.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    const at = (text: string, column: number) => found.push({ doc, line: index + 1, text, section, column });
    const cells = /^\s*\|/.test(line) ? splitRow(line) : null;
    if (!cells) header = null;
    else if (cells.every((cell) => /^\s*:?-+:?\s*$/.test(cell.text))) {
      // the separator row: the header stays
    } else if (header === null || (index > 0 && !/^\s*\|/.test(lines[index - 1] ?? ''))) header = cells.map((cell) => cell.text);
    else {
      const columns = header;
      cells.forEach((cell, i) => {
        if (!TABLE_UNIT.test(columns[i] ?? '')) return;
        for (const match of cell.text.matchAll(TABLE_NUMBER)) at(match[0], cell.column + match.index);
      });
    }
    for (const match of line.matchAll(FIGURE)) {
      const text = match.groups!.after ?? match.groups!.before!;
      const column = match.index + match[0].indexOf(text);
      if (!found.some((f) => f.line === index + 1 && f.column === column)) at(text, column);
    }
  });
  return found;
}

function splitRow(line: string): { text: string; column: number }[] {
  const cells: { text: string; column: number }[] = [];
  let start = line.indexOf('|') + 1;
  for (let i = start; i <= line.length; i++) {
    if (i === line.length || line[i] === '|') {
      if (i < line.length || line.slice(start).trim()) cells.push({ text: line.slice(start, i), column: start });
      start = i + 1;
    }
  }
  return cells;
}

/** Every recorded figure: by benchmark, the values of its file. */
export function recordedFigures(root: string): Map<string, number[]> {
  const folder = path.join(root, 'docs', 'figures');
  const recorded = new Map<string, number[]>();
  if (!existsSync(folder)) return recorded;
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const file = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as { bench: string; figures: Record<string, number> };
    recorded.set(file.bench, Object.values(file.figures));
  }
  return recorded;
}

/** The quoted number's text is a value rounded as the document rounds it (thousands separators dropped). */
export function formats(text: string, value: number): boolean {
  const plain = text.replace(/,/g, '');
  const decimals = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
  return Number(value.toFixed(decimals)) === Number(plain) || (decimals === 0 && Math.round(value) === Number(plain));
}

/**
 * The quoted figures no recorded run has, as `doc:line: text — why`; then the allow-list entries
 * whose words no document has any more (an entry must not outlive its quote).
 */
export function unrecordedFigures(root: string, allowed: Allowed[] = ALLOWED, documents: string[] = CHECKED_DOCUMENTS): string[] {
  const recorded = recordedFigures(root);
  const all = [...recorded.values()].flat();
  const problems: string[] = [];
  const used = new Set<Allowed>();
  for (const doc of documents) {
    const file = path.join(root, doc);
    if (!existsSync(file)) continue;
    const markdown = readFileSync(file, 'utf8');
    const lines = markdown.split('\n');
    for (const quoted of quotedFigures(doc, markdown)) {
      const offset = lines.slice(0, quoted.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + quoted.column;
      const allowance = allowed.find((entry) => {
        if (entry.doc !== doc) return false;
        for (let from = markdown.indexOf(entry.quote); from >= 0; from = markdown.indexOf(entry.quote, from + 1))
          if (from <= offset && offset + quoted.text.length <= from + entry.quote.length) return true;
        return false;
      });
      if (allowance) {
        used.add(allowance);
        continue;
      }
      const values = quoted.section ? recorded.get(quoted.section) : all;
      if (!values)
        problems.push(
          `${doc}:${quoted.line}: ${quoted.text} — the section of bench:${quoted.section} has no recorded figures (docs/figures/${quoted.section}.json)`,
        );
      else if (!values.some((value) => formats(quoted.text, value)))
        problems.push(`${doc}:${quoted.line}: ${quoted.text} — no recorded figure ${quoted.section ? `of bench:${quoted.section} ` : ''}is ${quoted.text}`);
    }
  }
  for (const entry of allowed)
    if (documents.includes(entry.doc) && !used.has(entry))
      problems.push(`${entry.doc}: the allowed figure "${entry.quote}" (${entry.why}) is quoted nowhere any more: remove it from ALLOWED`);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = unrecordedFigures(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..'));
  for (const problem of problems) console.log(problem);
  if (problems.length > 0) {
    console.log(`${problems.length} figures no benchmark run recorded (docs/figures/*.json)`);
    process.exitCode = 1;
  }
}
