/**
 * Insight benchmark (`npm run bench:insights`, issue 15): the whole insight pass — every round's
 * findings, as GET /api/rounds/:id/insights computes them — over a generated plan of N tasks and R
 * rounds in a SQLite file, split into loading the engine's input (the repository's reads) and
 * analysing it (the engine). The plan is written straight into the tables in batches (no services:
 * building it is not what is measured). Its texts are seed-like, with the numbers varied: targets
 * with 到 2020 年, totals with their parts and shares; each round some answers repeated from the
 * previous one (沿用上轮, unchanged), some rewritten, some the same words under many tasks, some hollow.
 *
 *   npm run bench:insights                               1,000 × 8, 10,000 × 2, 4, 8; written to docs/benchmarks.md
 *   npm run bench:insights -- --tasks 1000 --rounds 2    one size, printed only
 *   npm run bench:insights -- --no-write                 the default sizes, printed only
 *
 * The pass must grow with the answers, not with their square: the 10,000 / 1,000 ratio of the
 * time per task and round should stay near 1 (×10 in total), and so should 8 rounds against 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, type Database } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { createRepositories } from '../src/server/db/repositories/index.ts';
import type { DB } from '../src/server/db/schema.ts';
import { analyseRound } from '../src/domain/insights/index.ts';
import { loadInsightInput } from '../src/server/services/insight.service.ts';
import { createRandom, type Random } from '../scripts/generate-plan-document.ts';
import { flattenFigures, recordFigures, type Figures } from './figures.ts';
import { positive, writeBenchSection } from './support.ts';

type Size = { tasks: number; rounds: number };
type Result = Size & { answers: number; findings: number; loadMs: number; analyseMs: number; buildMs: number };

function parseOptions(argv: string[]): { sizes: Size[]; write: boolean } {
  let tasks: number | null = null;
  let rounds: number | null = null;
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--tasks') tasks = positive(arg, argv[++i]);
    else if (arg === '--rounds') rounds = positive(arg, argv[++i]);
    else if (arg === '--no-write') write = false;
    else {
      console.error(`usage: npm run bench:insights -- [--tasks N] [--rounds R] [--no-write]\nunknown argument: ${arg}`);
      process.exit(2);
    }
  }
  if (tasks !== null || rounds !== null) return { sizes: [{ tasks: tasks ?? 1_000, rounds: rounds ?? 8 }], write: false };
  return {
    sizes: [
      { tasks: 1_000, rounds: 8 },
      { tasks: 10_000, rounds: 2 },
      { tasks: 10_000, rounds: 4 },
      { tasks: 10_000, rounds: 8 },
    ],
    write,
  };
}

const UNITS = ['办公室', '规财处', '法规处', '环评处', '水处', '大气处', '土壤处', '生态处', '监测处', '科标处', '建管处', '固管中心'];
const LEADERS = ['李岳东', '张金汉', '高洁', '王明'];
const TASK_TEXTS = [
  (r: Random) => `到 ${2019 + r.int(0, 3)} 年，资源节约型、环境友好型社会建设取得重大进展，主要污染物排放总量持续减少。`,
  (r: Random) => `地表水优良水质断面比例达到 ${r.int(70, 90)}% 以上。城乡生活环境显著优化。`,
  (r: Random) => `细颗粒物（PM2.5）年均浓度比 2015 年下降 ${r.int(10, 25)}% 以上。`,
  (r: Random) => `森林覆盖率达到 ${r.int(35, 45)}%，草原综合植被盖度达到 ${r.int(80, 90)}%，城市绿地率达到 ${r.int(30, 40)}%。`,
  (r: Random) => `实施水污染防治设施建设工程，加快第 ${r.int(1, 99)} 批城镇污水处理设施及配套管网建设。`,
  (r: Random) => `推进工业集聚区污水集中处理设施建设，实施重点行业强制清洁生产审核（第 ${r.int(1, 99)} 项）。`,
];

/** An answer with figures: a total and its parts, or a share, with numbers varied. */
function factualAnswer(r: Random, round: number): string {
  const parts = [r.int(10, 300), r.int(10, 300), r.int(10, 300), r.int(10, 300)];
  const total = parts.reduce((a, b) => a + b, 0) + (r.next() < 0.05 ? 1 : 0);
  const whole = r.int(50, 200);
  const share = r.int(1, whole);
  const shown = ((share / whole) * 100).toFixed(2);
  return r.next() < 0.5
    ? `全省已实施城镇污水厂新建、扩建项目 ${total} 个，其中已完成 ${parts[0]} 个、正在调试 ${parts[1]} 个、在建 ${parts[2]} 个、前期 ${parts[3]} 个（第${round}轮）。`
    : `${whole} 个国家断面有 ${share} 个水质为 III 类及以上，占比 ${shown}%，同比上升 ${r.int(1, 30) / 10} 个百分点；印发了川环函〔2017〕${r.int(1, 999)}号。`;
}
const HOLLOW = ['配合相关职能部门推进相关工作。', '按要求推进相关工作，进展顺利。', '积极配合，认真落实。'];

/** Writes the plan and its rounds straight into the tables, in batches inside one transaction. */
async function build(db: Kysely<DB>, size: Size): Promise<number> {
  const r = createRandom(size.tasks * 31 + size.rounds);
  const at = '2017-01-01T00:00:00.000Z';
  const batch = async <T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, per = 400) => {
    for (let i = 0; i < rows.length; i += per) await insert(rows.slice(i, i + per));
  };
  let answers = 0;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('units')
      .values(UNITS.map((name, i) => ({ id: i + 1, name, created_at: at, phone: null })))
      .execute();
    await trx
      .insertInto('leaders')
      .values(LEADERS.map((name, i) => ({ id: i + 1, name, created_at: at })))
      .execute();
    await trx
      .insertInto('plans')
      .values({ id: 1, identity_key: 'title:bench', title: '基准测试方案', doc_number: null, created_at: at, archived_at: null, copied_from_plan_id: null })
      .execute();
    const perSection = 10;
    const sections = Math.ceil(size.tasks / perSection);
    const chapters = Math.max(1, Math.ceil(sections / 20));
    await trx
      .insertInto('chapters')
      .values(
        Array.from({ length: chapters }, (_, i) => ({ id: i + 1, plan_id: 1, number: i + 1, title: `第${i + 1}部分`, position: i + 1, retired_at: null })),
      )
      .execute();
    await batch(
      Array.from({ length: sections }, (_, i) => ({
        id: i + 1,
        chapter_id: Math.floor(i / 20) + 1,
        number: (i % 20) + 1,
        title: `第${i + 1}节`,
        position: (i % 20) + 1,
        retired_at: null,
      })),
      (chunk) => trx.insertInto('sections').values(chunk).execute(),
    );
    const tasks = Array.from({ length: size.tasks }, (_, i) => ({
      id: i + 1,
      plan_id: 1,
      section_id: Math.floor(i / perSection) + 1,
      position: i + 1,
      text: TASK_TEXTS[i % perSection === 0 ? 0 : r.int(1, TASK_TEXTS.length - 1)]!(r),
      lead_department_id: null,
      due: null,
      version: 1,
      created_at: at,
      updated_at: at,
      lineage: i + 1,
      retired_at: null,
      replaced_by: null,
    }));
    await batch(tasks, (chunk) => trx.insertInto('tasks').values(chunk).execute(), 200);
    const unitsOf = tasks.map(() => {
      const lead = r.int(2, UNITS.length);
      const co = [...new Set([r.int(2, UNITS.length), r.int(2, UNITS.length)])].filter((unit) => unit !== lead).slice(0, r.int(0, 2));
      return [lead, ...co];
    });
    await batch(
      unitsOf.flatMap((units, t) =>
        units.map((unit, position) => ({ task_id: t + 1, unit_id: unit, position: position + 1, role: position === 0 ? ('lead' as const) : ('co' as const) })),
      ),
      (chunk) => trx.insertInto('task_units').values(chunk).execute(),
    );
    await batch(
      tasks.map((task) => ({ task_id: task.id, leader_id: r.int(1, LEADERS.length), position: 1 })),
      (chunk) => trx.insertInto('task_leaders').values(chunk).execute(),
    );

    let previous = new Map<string, string>();
    for (let round = 1; round <= size.rounds; round++) {
      const quarter = ((round - 1) % 4) + 1;
      const year = 2017 + Math.floor((round - 1) / 4);
      const end = ['03-31', '06-30', '09-30', '12-31'][quarter - 1]!;
      const live = round > 1;
      await trx
        .insertInto('rounds')
        .values({
          id: round,
          plan_id: 1,
          label: `${year}年第${'一二三四'[quarter - 1]}季度`,
          period_start: `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`,
          period_end: `${year}-${end}`,
          deadline: null,
          status: round === size.rounds ? 'open' : 'closed',
          warnings: '[]',
          created_at: at,
          note: null,
          opened_at: live ? at : null,
          closed_at: null,
          opened_by: null,
          voided_at: null,
          voided_by: null,
          void_reason: null,
        })
        .execute();
      await batch(
        tasks.map((task) => ({ round_id: round, task_id: task.id, warnings: '[]' })),
        (chunk) => trx.insertInto('round_tasks').values(chunk).execute(),
      );
      if (live)
        await trx
          .insertInto('unit_submissions')
          .values(UNITS.map((_, i) => ({ round_id: round, unit_id: i + 1, state: 'submitted', version: 1, updated_at: at })))
          .execute();
      const current = new Map<string, string>();
      const entries = unitsOf.flatMap((units, t) =>
        units
          // Co-units are silent about a third of the time.
          .filter((_, position) => position === 0 || r.next() < 0.66)
          .map((unit, position) => {
            const key = `${t + 1}/${unit}`;
            const before = previous.get(key);
            const roll = r.next();
            let text: string;
            let copied: number | null = null;
            if (live && before !== undefined && roll < 0.3) [text, copied] = [before, 1];
            else if (roll < 0.4) text = HOLLOW[r.int(0, HOLLOW.length - 1)]!;
            else text = factualAnswer(r, round);
            current.set(key, text);
            return {
              round_id: round,
              task_id: t + 1,
              unit_id: unit,
              position: position + 1,
              text,
              status: 'on_track',
              version: 1,
              created_at: at,
              updated_at: at,
              reason: null,
              updated_by: null,
              review_state: null,
              review_comment: null,
              reviewed_at: null,
              reviewed_by: null,
              copied_from_round_id: copied === null ? null : round - 1,
              copied_unchanged: copied,
              attribution: null,
            };
          }),
      );
      answers += entries.length;
      await batch(entries, (chunk) => trx.insertInto('progress_entries').values(chunk).execute(), 150);
      previous = current;
    }
  });
  return answers;
}

async function measure(size: Size): Promise<Result> {
  const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-insights-'));
  let database: Database | undefined;
  try {
    database = await openDatabase(`sqlite:${path.join(folder, 'bench.db')}`);
    await migrateToLatest(database.db);
    const built = performance.now();
    const answers = await build(database.db, size);
    const buildMs = performance.now() - built;
    const repositories = createRepositories(database.db);
    // One warm-up pass over the first round (prepared statements, JIT), not counted.
    analyseRound((await loadInsightInput(repositories, 1)).input);
    let loadMs = 0;
    let analyseMs = 0;
    let findings = 0;
    for (let round = 1; round <= size.rounds; round++) {
      const started = performance.now();
      const { input } = await loadInsightInput(repositories, round);
      const loaded = performance.now();
      findings += analyseRound(input).length;
      analyseMs += performance.now() - loaded;
      loadMs += loaded - started;
    }
    return { ...size, answers, findings, loadMs, analyseMs, buildMs };
  } finally {
    await database?.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const perUnit = (result: Result) => (result.loadMs + result.analyseMs) / (result.tasks * result.rounds);

async function main(): Promise<void> {
  const { sizes, write } = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg()[0]!;
  const results: Result[] = [];
  for (const size of sizes) {
    const result = await measure(size);
    results.push(result);
    console.log(
      `${size.tasks} tasks × ${size.rounds} rounds: ${result.answers} answers, ${result.findings} findings — load ${seconds(result.loadMs)} s, analyse ${seconds(result.analyseMs)} s, ` +
        `${(perUnit(result) * 1000).toFixed(1)} µs per task and round (built in ${seconds(result.buildMs)} s)`,
    );
  }
  const find = (tasks: number, rounds: number) => results.find((result) => result.tasks === tasks && result.rounds === rounds);
  const small = find(1_000, 8);
  const large = find(10_000, 8);
  const two = find(10_000, 2);
  const growth: string[] = [];
  if (small && large)
    growth.push(
      `10,000 vs 1,000 tasks (8 rounds): total ×${((large.loadMs + large.analyseMs) / (small.loadMs + small.analyseMs)).toFixed(1)} (×10 is linear), per task and round ×${(perUnit(large) / perUnit(small)).toFixed(2)}`,
    );
  if (two && large)
    growth.push(`8 vs 2 rounds (10,000 tasks): total ×${((large.loadMs + large.analyseMs) / (two.loadMs + two.analyseMs)).toFixed(1)} (×4 is linear)`);
  for (const line of growth) console.log(line);
  if (!write) return;
  const figures: Figures = {};
  for (const result of results)
    flattenFigures(
      `${result.tasks}x${result.rounds}`,
      {
        answers: result.answers,
        findings: result.findings,
        loadSeconds: result.loadMs / 1000,
        analyseSeconds: result.analyseMs / 1000,
        totalSeconds: (result.loadMs + result.analyseMs) / 1000,
        microsecondsPerTaskAndRound: perUnit(result) * 1000,
      },
      figures,
    );
  Object.assign(figures, { 'linear.tasks': 10, 'linear.rounds': 4 }); // what linear growth would read
  if (small && large) {
    figures['growth.tasks.total'] = (large.loadMs + large.analyseMs) / (small.loadMs + small.analyseMs);
    figures['growth.tasks.perTaskAndRound'] = perUnit(large) / perUnit(small);
  }
  if (two && large) figures['growth.rounds.total'] = (large.loadMs + large.analyseMs) / (two.loadMs + two.analyseMs);
  console.log(`figures written to ${path.relative(process.cwd(), recordFigures('insights', figures, { loadBefore }))}`);

  const rows = results.map(
    (result) =>
      `| ${result.tasks.toLocaleString('en')} | ${result.rounds} | ${result.answers.toLocaleString('en')} | ${result.findings.toLocaleString('en')} | ${seconds(result.loadMs)} | ${seconds(result.analyseMs)} | ${seconds(result.loadMs + result.analyseMs)} | ${(perUnit(result) * 1000).toFixed(1)} |`,
  );
  writeBenchSection(
    'insights',
    [
      '## Insight (`npm run bench:insights`)',
      '',
      `The whole insight pass — every round's findings, as \`GET /api/rounds/:id/insights\` computes them — over a generated plan in a SQLite file, split into loading the engine's input (the repository's reads, a dozen statements per round) and the engine's analysis. Seed-like texts with varied numbers; about 30 % of answers repeated from the previous round, a tenth hollow, co-units silent a third of the time. ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (load ${loadavg()[0]!.toFixed(1)}), Node ${process.version}.`,
      '',
      '| tasks | rounds | answers | findings | load (s) | analyse (s) | total (s) | µs per task and round |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      ...growth.map((line) => `- ${line}`),
    ].join('\n'),
  );
  console.log('written to docs/benchmarks.md');
}

await main();
