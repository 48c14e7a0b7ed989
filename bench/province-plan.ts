import { PLAN_FORMAT, type PlanChapter, type PlanDocument } from '../src/domain/plan-document.ts';

/**
 * One organisation's plan of a generated province, as a `diaodu.plan/1` document (the importer's
 * own format, so seeding measures the product's import path, not a test shortcut): its units,
 * leaders, lead departments, chapters, sections and tasks, each task with one lead unit and a
 * few co-units. Deterministic for a given organisation index: the same shape every run.
 *
 * The province of issue 14 — 22 organisations, ~1,500 units, ~30,000 tasks, ~100,000 answers a
 * quarter — is 22 of these with the defaults: 68 units, 1,364 tasks and on average 3.3 units per
 * task (one answer each per quarter), so 22 × 1,364 × 3.3 ≈ 99,000 answers.
 */
export interface ProvincePlanOptions {
  /** 0-based organisation index: varies the names and the mix. */
  organisation: number;
  units?: number;
  tasks?: number;
}

export interface ProvincePlan {
  document: PlanDocument;
  units: string[];
  /** (task, unit) pairs: the answers a full quarter holds. */
  answers: number;
}

const UNIT_WORDS = [
  '办公室',
  '综合规划科',
  '法规科',
  '财务科',
  '人事科',
  '监测科',
  '执法支队',
  '水生态科',
  '大气科',
  '土壤科',
  '固废科',
  '辐射科',
  '自然生态科',
  '宣传教育科',
  '信息中心',
  '评估中心',
  '应急中心',
  '科技科',
];
const VERBS = ['推进', '完善', '落实', '加强', '实施', '开展', '健全', '深化'];
const OBJECTS = [
  '重点区域污染防治',
  '排污许可管理',
  '生态环境监测网络建设',
  '河长制湖长制',
  '农村环境综合整治',
  '固体废物规范化管理',
  '环境信访办理',
  '执法监管能力建设',
  '项目环评审批改革',
  '生态保护红线勘界',
];
const TAILS = ['制定工作方案并按季度调度。', '形成长效机制，确保年底前完成。', '建立台账，逐项销号。', '开展专项检查，督促问题整改到位。'];

/** A small deterministic PRNG (mulberry32): the same organisation gets the same plan. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function provincePlan(options: ProvincePlanOptions): ProvincePlan {
  const unitCount = options.units ?? 68;
  const taskCount = options.tasks ?? 1_364;
  const next = random(1_000 + options.organisation);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const units = Array.from({ length: unitCount }, (_, i) => (i < UNIT_WORDS.length ? UNIT_WORDS[i]! : `第${i - UNIT_WORDS.length + 1}业务科`));
  const leaders = ['局长', '副局长甲', '副局长乙', '副局长丙', '纪检组长', '总工程师'].map((title) => `${title}${options.organisation + 1}`);
  const departments = Array.from({ length: 15 }, (_, i) => `市级部门${i + 1}`);

  const chapters: PlanChapter[] = [];
  let answers = 0;
  let written = 0;
  const chapterCount = 8;
  for (let c = 0; c < chapterCount; c++) {
    const chapter: PlanChapter = { number: c + 1, title: `第${c + 1}部分重点工作`, sections: [] };
    for (let s = 0; s < 4; s++) {
      const section = { number: s + 1, title: `${pick(VERBS)}${pick(OBJECTS)}`, tasks: [] as PlanDocument['chapters'][number]['sections'][number]['tasks'] };
      const inSection = Math.floor(taskCount / (chapterCount * 4)) + (c * 4 + s < taskCount % (chapterCount * 4) ? 1 : 0);
      for (let t = 0; t < inSection; t++) {
        written++;
        const lead = Math.floor(next() * unitCount);
        const coCount = Math.floor(next() * 5.6);
        const assigned = new Set([lead]);
        while (assigned.size < 1 + coCount) assigned.add(Math.floor(next() * unitCount));
        answers += assigned.size;
        section.tasks.push({
          text: `${written}. ${pick(VERBS)}${pick(OBJECTS)}，${pick(TAILS)}`,
          leadDepartment: pick(departments),
          leaders: [pick(leaders)],
          units: [...assigned].map((index, i) => ({ name: units[index]!, role: i === 0 ? ('lead' as const) : ('co' as const) })),
          progress: [],
          warnings: [],
        });
      }
      chapter.sections.push(section);
    }
    chapters.push(chapter);
  }

  return {
    document: {
      format: PLAN_FORMAT,
      notice: null,
      plan: { title: `示例第${options.organisation + 1}局年度重点工作分工方案`, docNumber: null },
      round: { label: '上年第四季度', periodStart: null, periodEnd: null },
      unitAliases: {},
      chapters,
      warnings: [],
    },
    units,
    answers,
  };
}
