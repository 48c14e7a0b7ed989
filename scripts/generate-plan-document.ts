/**
 * Writes a plan document of any size in exactly the seed's text format
 * (fixtures/seed/sichuan-2017-q2-notice.txt; docs/formats.md): the notice lines, the
 * tab-separated 7-column progress table with the extraction defects of the real document, then
 * the 抄送 and 印发 lines. Used by the import benchmark and by tests that need a large document.
 *
 *   node --import tsx scripts/generate-plan-document.ts --tasks 1000 [--seed 7] > plan.txt
 *
 * Deterministic: the same tasks and seed give the same bytes. The defects it writes, as the seed
 * has them: a blank line and a repeated header row (sometimes with spaced-out characters) at every
 * page break (every 3–8 rows); the chapter label repeated on the first row of each page and empty
 * otherwise; the section label `(十四) title` on a section's first row, and usually repeated,
 * with varying spacing, on the first row of a page; empty merged lead-department cells; tasks
 * continued across a page break as a row of their own (the chapter label, an empty section or
 * the next section's label, the rest of the task text, empty department, leaders and units, the
 * rest of the progress); multi-unit progress attributed `…（环评处）…(规财处)`, with `(总队)` for
 * 监察总队; spaces inside names (`高 洁`, `省发展 改革委`) and whole pages spaced out
 * (`环 境 保 护 厅`); several leaders in one cell separated by spaces; an occasional `<p>…</p>`;
 * section numbers that skip. It writes no cells shifted into another column (the seed has a few;
 * the importer's tests cover them on the seed itself), so the expected counts are exact.
 */
import { pathToFileURL } from 'node:url';
import { toChineseNumeral } from '../src/domain/chinese-numerals.ts';

export interface GeneratePlanDocumentOptions {
  /** Number of tasks in the table (≥ 1). */
  tasks: number;
  /** PRNG seed; the same seed gives the same document. Default 1. */
  seed?: number;
}

export interface GeneratedPlanDocument {
  text: string;
  /** What a correct reader finds: tasks, chapters, and sections (across all chapters). */
  expected: { tasks: number; chapters: number; sections: number };
}

/* ------------------------------------------------------------------ vocabulary of the seed */

const CHAPTER_TITLES = [
  '牢固树立绿色发展理念，把握推进绿色发展的总体要求',
  '构建绿色发展空间体系，优化国土空间开发格局',
  '开展大规模绿化全川行动，筑牢长江上游生态屏障',
  '实施污染防治“三大战役”，加快改善环境质量',
  '构建绿色低碳产业新体系，加快产业转型升级',
  '构建新型城乡体系，创造美好生活环境',
  '构建绿色发展制度体系，强化建设美丽四川制度保障',
  '强化组织实施，确保推进绿色发展决策部署落实见效',
] as const;

const SECTION_TITLES = [
  '主要目标',
  '完善区域发展空间布局',
  '全面落实主体功能区规划',
  '实行差别化区域政策',
  '强化国土空间治理',
  '严守资源环境生态红线',
  '扎实推进造林增绿',
  '推进江河湿地修复治理',
  '加强草原生态建设',
  '加强脆弱地区生态治理',
  '加强生物多样性保护',
  '打好大气污染防治攻坚战',
  '打好水污染防治攻坚战',
  '打好土壤污染防治攻坚战',
  '加强环境风险防控',
  '加快产业升级',
  '做强做大绿色低碳产业',
  '加强资源综合利用',
  '推进节能降碳',
  '优化城镇规划设计',
  '加快建设美丽城镇',
  '加快建设美丽乡村',
  '加强依法治理',
  '发挥市场决定性作用',
  '建立自然资源资产产权制度',
  '完善生态补偿机制',
  '健全监督考核及责任追究制度',
  '完善政策支持',
  '强化科技支撑',
  '扩大开放合作',
  '培育生态文化',
  '动员全民参与',
] as const;

/** Provincial lead departments of the seed; 环境保护厅 leads most often. */
const DEPARTMENTS = [
  '环境保护厅',
  '环境保护厅',
  '环境保护厅',
  '省发展改革委',
  '省发展改革委',
  '住房城乡建设厅',
  '农业厅',
  '林业厅',
  '财政厅',
  '省扶贫移民局',
  '国土资源厅',
  '省安全监管局',
  '省经济和信息化委',
  '商务厅',
  '省旅游发展委',
  '省机关事务局',
  '省人大常委会办公厅',
  '省委办公厅',
  '省纪委机关',
  '省政府金融办',
  '科技厅',
  '教育厅',
  '省委统战部',
  '省委宣传部',
  '省委农工委',
] as const;

/** The seed's units with the leader in charge of each (as the seed pairs them). */
const UNITS: readonly (readonly [unit: string, leader: string])[] = [
  ['大气处', '赵乐晨'],
  ['水处', '李岳东'],
  ['生态处', '李岳东'],
  ['土壤处', '李岳东'],
  ['法规处', '张金汉'],
  ['环评处', '高洁'],
  ['规财处', '钟勤建'],
  ['科标处', '赵乐晨'],
  ['监测处', '董晓辉'],
  ['监察总队', '彭勇'],
  ['机动车中心', '赵乐晨'],
  ['建管处', '高洁'],
  ['应急中心', '姚东升'],
  ['监测总站', '董晓辉'],
  ['固管中心', '李岳东'],
  ['辐射源处', '董晓辉'],
  ['信息中心', '钟勤建'],
  ['督察办', '赵乐晨'],
  ['办公室', '王国华'],
  ['综合处', '明劲'],
  ['人事处', '龙仕荣'],
  ['机关服务中心', '王国华'],
  ['三大办', '李岳东'],
  ['驻厅纪检组', '张馨'],
  ['宣教处', '彭勇'],
  ['宣教中心', '彭勇'],
  ['机关党办', '龙仕荣'],
];

/** Clauses of task text in the seed's words; every one ends with 。 (so no cell looks like a name). */
const TASK_CLAUSES = [
  '全省细颗粒物 (PM2.5) 年均浓度比 2015 年下降 20% 以上。',
  '地表水优良水质断面比例达到 82% 以上。',
  '全省森林覆盖率达到 40%，草原综合植被覆盖度达到 85%。',
  '推动成都平原经济区特别是成都、天府新区领先发展，加快建设国家创新驱动发展先行省。',
  '配合编制我省落实《长江经济带发展规划纲要》的实施规划。',
  '突出生态环境保护优先，规划实施一批沿江重大生态修复项目，建设沿江绿色生态廊道。',
  '优化沿江城市和产业布局，优先发展低污染、高效益替代产业，促进上下游地区互动协调发展。',
  '加强饮用水源地、湖库周边和消落带、河渠沿线绿化。',
  '支持利用工矿废弃地、污染土地和其他不适宜耕作土地造林。',
  '实施湿地保护与恢复工程，稳定和扩大湿地面积。',
  '完善湿地保护网络，建设一批省级重要湿地、国家重要湿地。',
  '实施减少工业污染物排放工程，加快火力发电、钢铁、有色、化工等重点行业脱硫脱硝除尘改造。',
  '实施抑制城市扬尘工程，全面推行绿色施工，严格施工工地扬尘管控。',
  '实施压减煤炭消费总量工程，淘汰城市建成区 10 蒸吨以下燃煤锅炉。',
  '实施严重污染水体整治工程，加强水质超标控制单元的流域污染综合治理。',
  '实施饮用水环境安全保障工程，清理整治饮用水水源保护区内违法建筑和排污口。',
  '实施土壤环境监测预警基础工程，建立土壤环境基础数据库。',
  '推进生活垃圾分类和减量，加快城乡生活垃圾处理及转运设施建设。',
  '建立环境风险防控责任制，健全省、市、县和企业环境风险防控体系。',
  '加强核与辐射环境管理，强化高危放射源安全管控，确保辐射安全万无一失。',
  '加强环境应急能力建设，妥善处置突发环境事件。',
  '健全污染物违法排放者对受害者进行赔偿机制，逐步实现以赔代罚。',
  '建立全省环保数据监测网络，建设环保数据库。',
  '严格落实环境保护党政主体责任制度，落实省级环境保护督察制度。',
  '强化规划环评。',
  '统筹环境保护建设绩效评估。',
  '促进工业提质增效，推动七大优势产业迈上中高端。',
  '加快发展节能环保装备产业，打造绿色低碳产品知名品牌。',
  '推进工业园区循环化改造，加大尾矿、工业废渣、矿井水等大宗废弃物综合利用。',
  '加强公共机构节约能源资源工作，开展节约型公共机构示范创建活动。',
  '重视解决城镇噪音、光污染等问题，创造宁静生活空间。',
  '严格依法行政，严禁不符合生态环境法规政策的开发活动。',
  '完善排污权核定制度，加强排污权交易平台建设。',
  '加强企业环境诚信体系建设，有效提高企业环境诚信意识。',
  '开展领导干部自然资源资产和环境责任离任审计。',
  '探索构建绿色金融体系，完善绿色信贷制度，设立绿色发展基金。',
  '优化支撑绿色产业体系的科技创新环境，建设一批工程技术中心和实验基地。',
  '建设一批绿色生态教育基地，加强资源环境国情和省情宣传。',
  '完善公众参与决策制度，保障群众知情权、监督权。',
  '鼓励、引导民间环保组织有序参与，注重发挥生态文明志愿者的积极作用。',
] as const;

/** Sentences of progress in the seed's words; every one ends with 。. */
const PROGRESS_SENTENCES = [
  '正在按期推进落实。',
  '1-6 月，全省 PM2.5 平均浓度同比 2015 年下降 11.3%。',
  '87 个国家断面有 63 个水质为 III 类及以上，占比 72.4%，同比上升 1.1 个百分点。',
  '配合相关职能部门推进相关工作。',
  '积极指导和争取环保部支持推进天府新区规划环评工作。',
  '推动国家生态文明先行示范区建设，指导汶川、马尔康生态县创建。',
  '编制了《四川省长江经济带发展实施规划》的生态环境保护专章。',
  '开展了岷、沱、嘉陵江流域污染防治规划编制工作。',
  '截止7月1日，共出具规划环评审查意见16个。',
  '在各区域规划环评、城市总规环评中推行落实。',
  '报请省政府印发了《四川省生态保护红线实施意见》。',
  '印发了《四川省“三江”流域水环境生态补偿办法（试行）》。',
  '加强饮用水源地规范化建设，对各地饮用水环境状况进行了通报。',
  '开展土壤污染状况详查，推进重污染土地还林工作。',
  '配合推进燃煤锅炉淘汰工作，累计淘汰燃煤小锅炉 2400 余台。',
  '2017 年上半年，全省共淘汰黄标车 5.16 万辆。',
  '已发布《四川省岷江、沱江流域水污染物排放标准》。',
  '每月对重点生态功能水体水质情况进行调度、研判并对外公布。',
  '目前，我省各市（州）上报的 120 个饮用水源地突出环境问题已完成整治 98 个。',
  '工作纳入了《土壤污染防治行动计划四川省实施方案》，明确了责任分工。',
  '会同住建部门对全省部分地区城乡生活垃圾处理设施建设、运行情况开展了调研。',
  '《四川省突发环境事件应急预案》正在进行第2次修订。',
  '2017年上半年全省共检查风险源单位1631余家，发现隐患 326 处。',
  '继续在全省范围内开展放射源安全检查专项行动。',
  '已在泸州市、广元市、广安市、凉山州四个市（州）建立环境应急物资储备库。',
  '目前，在部分市县开展生态环境损害鉴定评估工作。',
  '加强行政执法监督，及时纠正基层环保部门不作为、乱作为、慢作为问题。',
  '已经出台《四川省环境保护工作职责分工方案》。',
  '按省政府绩效办要求每季度开展绩效目标调度。',
  '对省内部分市（州）开展调研，形成垂直管理改革实施方案初稿。',
  '会同省商务厅、科技厅对《四川省生态工业园区管理办法》进行了修订。',
  '深化环境污染责任保险，在化工、印染等重点行业开展强制性环境污染责任保险试点。',
  '协调环保部加快审批了李家岩水库工程环评。',
  '联合科技厅正在开展四川省水污染防治技术目录的征集筛选。',
  '张贴节能温馨提示，更换节能灯具。',
  '加快修订《四川省环境保护条例》，目前省政府常务会即将审议。',
  '正在开展排污权交易研究。',
  '稳步推进企业环境信用评价，评价结果已向社会公示。',
  '按省纪委监委统一部署开展相关工作。',
  '合作洽谈暂缓。',
  '应用示范项目已经验收。',
  '积极开展“泛珠三角”环保宣教合作交流。',
] as const;

/** The header rows of the seed, as its pages print them (spaced-out characters included). */
const HEADERS: readonly (readonly string[])[] = [
  ['', '', '具体工作任务', '省级 牵头 部门', '牵头 厅领导', '责任部门', '推进情况'],
  ['', '', '具体工作任务', '省级 牵头 部门', '牵 头 厅 领 导', '责 任 部 门', '推 进 情 况'],
  ['', '', '具体工作任务', '省级 牵头 部门', '牵 头 厅 领 导', '责任部门', '推进情况'],
  ['', '', '具体工作任务', '省级牵头部门', '牵头厅领导', '责任部门', '推进情况'],
];

const NOTICE_BEFORE_TABLE = (docNumber: string) => [
  '',
  '',
  '四川省环境保护厅办公室文件',
  '',
  docNumber,
  '',
  '四川省环境保护厅办公室 关于《贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案》 2017年第二季度工作推进情况的通报',
  '',
  '厅机关各处（室）、直属单位：',
  '',
  '按照《四川省环境保护厅办公室关于印发〈贯彻落实中共四川省委关于推进绿色发展建设美丽四川的决定厅内分工方案〉的通知》（川环办发〔2016〕144号）（以下简称《厅内分工方案》）要求，现将《厅内分工方案》2017年第二季度工作推进',
  '',
  '情况进行通报（见附件）。请各牵头处（室）、直属单位继续按照《厅内分工方案》确定的目标任务，加强组织和协调，加快推进落实相关工作。',
  '',
  '附件：《贯彻落实<中共四川省委关于推进绿色发展建设美丽四川的决定>厅内分工方案》2017年第二季度工作推进情况调度表',
  '',
  '四川省环境保护厅办公室',
  '',
  '2017年7月31日',
  '',
  '（联系人：厅污染防治“三大战役”办 谭建波',
  '',
  '联系电话：028-80589030',
  '',
  '《贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案》 2017 年第二季度工作推进情况调度表',
  '',
];

const NOTICE_AFTER_TABLE = ['', '抄送：省委深改办。', '', '四川省环境保护厅办公室', '', '2017年7月31日印发', ''];

/* ------------------------------------------------------------------ randomness */

/** mulberry32: a small, fast, seeded PRNG; enough for test data. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    /** An integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type Random = ReturnType<typeof createRandom>;

/* ------------------------------------------------------------------ the plan */

interface Task {
  text: string;
  department: string;
  leaders: string[];
  units: string[];
  progress: string;
}
interface Section {
  number: number;
  title: string;
  tasks: Task[];
}
interface Chapter {
  number: number;
  title: string;
  sections: Section[];
}

/** Chapter and section numbers stay below 100 (一 … 九十九), as plan documents number them. */
const MAX_NUMBER = 99;

function buildPlan(taskCount: number, random: Random): Chapter[] {
  // The seed has ~3.5 tasks a section and ~4 sections a chapter, and numbers sections through the
  // whole document. Real plans have a few dozen sections, so a big document gets bigger sections
  // (about 80 of them), not hundreds: numbers stay below 100, as in real plans.
  const meanSectionSize = Math.max(3.5, taskCount / 80);
  const sectionSizes: number[] = [];
  for (let left = taskCount; left > 0;) {
    const size = Math.min(left, random.int(1, Math.max(1, Math.round(2 * meanSectionSize - 1))));
    sectionSizes.push(size);
    left -= size;
  }

  const chapters: Chapter[] = [];
  let sectionNumber = 0;
  let s = 0;
  while (s < sectionSizes.length) {
    const chapterNumber = chapters.length + 1;
    const chapter: Chapter = { number: chapterNumber, title: CHAPTER_TITLES[(chapterNumber - 1) % CHAPTER_TITLES.length]!, sections: [] };
    const sectionsInChapter = random.int(1, 7);
    for (let k = 0; k < sectionsInChapter && s < sectionSizes.length; k++, s++) {
      // Numbers skip now and then, as the seed has no (八) and no (二十九).
      const room = MAX_NUMBER - sectionNumber - (sectionSizes.length - s);
      sectionNumber += sectionNumber > 0 && room > 0 && random.chance(1 / 16) ? 2 : 1;
      const section: Section = { number: sectionNumber, title: SECTION_TITLES[(sectionNumber - 1) % SECTION_TITLES.length]!, tasks: [] };
      let previous: Task | null = null;
      for (let t = 0; t < sectionSizes[s]!; t++) {
        previous = buildTask(random, previous);
        section.tasks.push(previous);
      }
      chapter.sections.push(section);
    }
    chapters.push(chapter);
  }
  if (chapters.length > MAX_NUMBER || sectionNumber > MAX_NUMBER)
    throw new RangeError(`${taskCount} tasks made ${chapters.length} chapters and section (${sectionNumber}): more than ${MAX_NUMBER}`);
  return chapters;
}

function buildTask(random: Random, previous: Task | null): Task {
  const unitCount = random.chance(0.6) ? 1 : random.chance(0.6) ? 2 : random.chance(0.8) ? 3 : 4;
  const picked = new Set<number>();
  while (picked.size < unitCount) picked.add(random.int(0, UNITS.length - 1));
  const assignments = [...picked].map((i) => UNITS[i]!);
  const units = assignments.map(([unit]) => unit);
  // The leaders in charge of the units, lead unit's first, at most two (as in the seed).
  const leaders = [...new Set(assignments.map(([, leader]) => leader))].slice(0, 2);

  const department = previous && random.chance(0.4) ? previous.department : random.pick(DEPARTMENTS);
  const text = Array.from({ length: random.int(1, 3) }, () => random.pick(TASK_CLAUSES)).join('');

  let progress: string;
  if (units.length === 1) {
    // A single unit's progress carries no attribution; now and then the unit wrote nothing.
    progress = random.chance(0.03) ? '' : sentences(random, random.int(1, 4));
  } else {
    // Each unit that wrote ends its text with its name in brackets; a unit that wrote nothing is absent.
    const writers = units.filter(() => random.chance(0.7));
    if (writers.length === 0) writers.push(units[0]!);
    progress = writers
      .map((unit) => {
        const name = unit === '监察总队' && random.chance(0.6) ? '总队' : unit;
        const mark = random.chance(0.5) ? `（${name}）` : `(${name})`;
        return sentences(random, random.int(1, 3)) + mark;
      })
      .join(random.chance(0.5) ? ' ' : '');
  }
  return { text, department, leaders, units, progress };
}

const sentences = (random: Random, count: number) => Array.from({ length: count }, () => random.pick(PROGRESS_SENTENCES)).join('');

/* ------------------------------------------------------------------ the table as the extraction left it */

type Cells = [chapter: string, section: string, task: string, department: string, leaders: string, units: string, progress: string];

/** `环境保护厅` → `环 境 保 护 厅`, as on the seed's spaced-out pages. */
const spaceOut = (text: string) => [...text].join(' ');

/** One stray space inside a name (`省发展 改革委`, `住房 城乡 建设厅`). */
function straySpace(random: Random, text: string): string {
  const chars = [...text];
  if (chars.length < 4) return text;
  const at = random.int(2, chars.length - 2);
  return `${chars.slice(0, at).join('')} ${chars.slice(at).join('')}`;
}

const isCjk = (char: string | undefined) => char !== undefined && /[\u3400-\u9fff]/.test(char);

/**
 * Where a page break cuts a text: between two CJK characters (the reader joins the halves with no
 * space), after the first comma or full stop and before the last one, so that both halves still
 * read as sentences, never as a name. Null when there is no such place.
 */
function cutPoint(random: Random, text: string): number | null {
  const firstStop = text.search(/[，。]/);
  const lastStop = Math.max(text.lastIndexOf('，'), text.lastIndexOf('。'));
  if (firstStop < 0) return null;
  const candidates: number[] = [];
  for (let i = firstStop + 2; i < lastStop; i++) if (isCjk(text[i - 1]) && isCjk(text[i])) candidates.push(i);
  return candidates.length === 0 ? null : candidates[random.int(0, candidates.length - 1)]!;
}

function formatUnits(random: Random, units: string[], spaced: boolean): string {
  const names = units.map((unit) => (spaced ? spaceOut(unit) : unit));
  let out = names[0]!;
  for (let i = 1; i < names.length; i++) {
    const separator = i === 1 && random.chance(0.5) ? '，' : '、';
    out += separator + (spaced || random.chance(0.5) ? ' ' : '') + names[i];
  }
  return out;
}

function formatLeaders(random: Random, leaders: string[]): string {
  // At most one spaced-out two-character name a cell (`李岳东 高 洁`), as in the seed.
  const spacedIndex = random.chance(0.2) ? random.int(0, leaders.length - 1) : -1;
  return leaders.map((leader, i) => (i === spacedIndex && leader.length === 2 ? spaceOut(leader) : leader)).join(' ');
}

function sectionLabel(random: Random, section: Section, spaced: boolean): string {
  const title = spaced ? spaceOut(section.title) : section.title;
  return `(${toChineseNumeral(section.number)})${random.chance(0.6) ? ' ' : ''}${title}`;
}

function chapterLabel(chapter: Chapter, spaced: boolean): string {
  return `${toChineseNumeral(chapter.number)}、${spaced ? spaceOut(chapter.title) : chapter.title}`;
}

function layOut(chapters: Chapter[], random: Random): string[] {
  const lines: string[] = [];
  const flat = chapters.flatMap((chapter) =>
    chapter.sections.flatMap((section) =>
      section.tasks.map((task, t) => ({ chapter, section, task, firstOfSection: t === 0, firstOfChapter: t === 0 && section === chapter.sections[0] })),
    ),
  );

  let rowsLeft = 0;
  let firstOnPage = true;
  let spacedPage = false;
  let header = HEADERS[0]!;
  const startPage = (first: boolean) => {
    if (!first) lines.push('');
    lines.push(header.join('\t'));
    header = random.pick(HEADERS);
    rowsLeft = random.int(3, 8);
    firstOnPage = true;
    spacedPage = random.chance(0.12);
  };
  const emit = (cells: Cells) => {
    lines.push(cells.join('\t'));
    rowsLeft--;
    firstOnPage = false;
  };

  let sectionAlreadyLabelled: Section | null = null;
  let previousDepartment: { name: string; section: Section } | null = null;
  startPage(true);
  for (let i = 0; i < flat.length; i++) {
    const { chapter, section, task, firstOfSection } = flat[i]!;
    if (rowsLeft <= 0) startPage(false);

    const chapterCell = firstOnPage || flat[i]!.firstOfChapter ? chapterLabel(chapter, spacedPage) : '';
    let sectionCell = '';
    if (firstOfSection && sectionAlreadyLabelled !== section) sectionCell = sectionLabel(random, section, spacedPage);
    else if (firstOnPage && random.chance(0.85)) sectionCell = sectionLabel(random, section, spacedPage);

    // A merged lead-department cell is empty below its first row (sometimes repeated on a new page).
    const merged = previousDepartment?.section === section && previousDepartment.name === task.department;
    const showDepartment = !merged || (firstOnPage && random.chance(0.7)) || random.chance(0.1);
    const departmentCell = !showDepartment
      ? ''
      : spacedPage
        ? spaceOut(task.department)
        : random.chance(0.15)
          ? straySpace(random, task.department)
          : task.department;
    previousDepartment = { name: task.department, section };

    const leadersCell = formatLeaders(random, task.leaders);
    const unitsCell = formatUnits(random, task.units, spacedPage);
    const wrap = (progress: string) => (progress && random.chance(0.02) ? `<p>${progress}</p>` : progress);

    // The last row of a page is sometimes cut by the page break and continued on the next page.
    const next = flat[i + 1];
    const progressCut = rowsLeft === 1 && next && random.chance(0.35) ? cutPoint(random, task.progress) : null;
    if (progressCut === null || !next) {
      emit([chapterCell, sectionCell, task.text, departmentCell, leadersCell, unitsCell, wrap(task.progress)]);
      continue;
    }
    const textCut = random.chance(0.5) ? cutPoint(random, task.text) : null;
    const textBefore = textCut === null ? task.text : task.text.slice(0, textCut);
    const textAfter = textCut === null ? '' : task.text.slice(textCut);
    emit([chapterCell, sectionCell, textBefore, departmentCell, leadersCell, unitsCell, wrap(task.progress.slice(0, progressCut))]);

    startPage(false);
    // The continuation row carries the page's chapter label; when only progress goes on and the
    // next task opens a section, it sometimes carries that section's label (seed line 96).
    let continuationSection = '';
    if (textAfter === '' && next.section !== section && next.chapter === chapter && random.chance(0.5)) {
      continuationSection = sectionLabel(random, next.section, spacedPage);
      sectionAlreadyLabelled = next.section;
    }
    emit([chapterLabel(chapter, spacedPage), continuationSection, textAfter, '', '', '', task.progress.slice(progressCut)]);
  }
  return lines;
}

/** A plan document of `tasks` tasks in the seed's text format, with the counts a reader must find. */
export function generatePlanDocument({ tasks, seed = 1 }: GeneratePlanDocumentOptions): GeneratedPlanDocument {
  if (!Number.isInteger(tasks) || tasks < 1) throw new RangeError(`tasks must be a positive integer, got ${tasks}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const random = createRandom(seed);
  const chapters = buildPlan(tasks, random);
  const docNumber = `川环办发〔2017〕${100 + (Math.abs(seed) % 900)}号`;
  const lines = [...NOTICE_BEFORE_TABLE(docNumber), ...layOut(chapters, random), ...NOTICE_AFTER_TABLE];
  return {
    text: lines.join('\n'),
    expected: {
      tasks,
      chapters: chapters.length,
      sections: chapters.reduce((sum, chapter) => sum + chapter.sections.length, 0),
    },
  };
}

/* ------------------------------------------------------------------ command line */

const USAGE = `usage: node --import tsx scripts/generate-plan-document.ts --tasks N [--seed S] > plan.txt

Writes a plan document of N tasks in the seed's text format (page breaks and extraction defects
included) to stdout; the same N and S always give the same bytes. The expected counts go to stderr.`;

function parseArgs(argv: string[]): GeneratePlanDocumentOptions | 'help' | string {
  let tasks: number | null = null;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag !== '--tasks' && flag !== '--seed') return `unknown argument: ${argv[i]}`;
    const value = inline ?? argv[++i];
    if (value === undefined || !/^-?\d+$/.test(value)) return `${flag} needs an integer`;
    if (flag === '--tasks') tasks = Number(value);
    else seed = Number(value);
  }
  if (tasks === null) return '--tasks is required';
  if (tasks < 1) return '--tasks must be at least 1';
  return { tasks, seed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === 'help') {
    console.log(USAGE);
  } else if (typeof parsed === 'string') {
    console.error(`generate-plan-document: ${parsed}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    const { text, expected } = generatePlanDocument(parsed);
    process.stdout.write(text);
    console.error(`generated ${expected.tasks} tasks in ${expected.sections} sections of ${expected.chapters} chapters`);
  }
}
