import type { ActualBasis, IndicatorActual, IndicatorTarget, IndicatorVerdict } from './types.ts';

/**
 * Indicators (decision 032): targets read from a task's text, actuals read from its answers, and
 * the verdict of an actual against the target's path. Conservative on purpose: a figure becomes a
 * target only when a measured thing is followed by a verb that sets it (达到, 下降, 控制在 …).
 */

export interface ProposedTarget {
  key: string;
  name: string;
  target: IndicatorTarget;
  /** Exact substring of the task text. */
  quote: string;
}

const UNIT = '(%|％|个百分点|百分点|微克\\/立方米|μg\\/m3|万吨|吨|万亩|亩|亿元|万元|万辆|万人|万户|平方公里|公里|个|家|座|项|处|天)';
const UP_VERBS = '提高到|提升到|增加到|上升到|增长到|提高至|提升至|增加至|达到|达|提高|提升|增加|上升|增长|不低于|超过';
const DOWN_VERBS = '降低到|下降到|减少到|降至|降低至|下降至|减少至|控制在|不高于|不超过|下降|降低|减少|削减';
const NAME = '([^，,；;。：:！？\\n、]{2,40}?)';
const BOUND = '(?:\\s*(以上|以下|以内|左右))?';

/** 比 2015 年下降 20% 以上 (a change against a base year). */
const CHANGE_TARGET = new RegExp(
  `${NAME}(?:比|较|相比)\\s*(\\d{4})\\s*年(?:水平)?\\s*(${UP_VERBS}|${DOWN_VERBS})\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT}${BOUND}`,
  'g',
);
/** 由 2015 年的 38% 提高到 40% (a level with its base). */
const BASED_LEVEL_TARGET = new RegExp(
  `${NAME}(?:由|从)\\s*(\\d{4})\\s*年(?:的)?\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT}\\s*(${UP_VERBS}|${DOWN_VERBS})\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT}${BOUND}`,
  'g',
);
/** 地表水优良水质断面比例达到 82% 以上 (a level). */
const LEVEL_TARGET = new RegExp(`${NAME}(${UP_VERBS}|${DOWN_VERBS})\\s*(\\d+(?:\\.\\d+)?)\\s*${UNIT}${BOUND}`, 'g');

const DOWN = new RegExp(`^(?:${DOWN_VERBS})$`);
const BY_YEAR = /到\s*(\d{4})\s*年|(\d{4})\s*年(?:底|末)?(?:前|以前)?[，,]?\s*(?=[^，,。；;]*(?:达到|控制在|下降|降低|提高|减少))/g;
const LEADING_QUALIFIER =
  /^(?:(?:到\s*\d{4}\s*年\s*[，,]?)|(?:\d{4}\s*年(?:度|底|前)?)|全省|全市|全州|全县|全国|我省|我市|确保|力争|努力|使|实现|并|且|其中|同时|年均)+/;
/** Words that make the clause a measure of something (a target must measure a thing, not an action). */
const ACTION_START = /^(?:推进|推动|实施|建设|开展|加强|加快|完善|建立|落实|组织|支持|鼓励|淘汰|新建|改造)/;

function unitOf(raw: string): string {
  if (raw === '％' || raw === '个百分点' || raw === '百分点') return '%';
  return raw;
}

/**
 * A plan's 达到 X / 达 X means reach at least X (全省森林覆盖率达到 40%); 控制在 … 以内/以下 caps it.
 * 左右 says about X, and 提高到 X names the level to reach, not a floor: those stay exactly.
 */
function boundOf(raw: string | undefined, verb: string): IndicatorTarget['bound'] {
  if (raw === '以上' || verb === '不低于' || verb === '超过') return 'at_least';
  if (raw === '以下' || raw === '以内' || verb === '不高于' || verb === '不超过' || verb === '控制在') return 'at_most';
  if ((verb === '达到' || verb === '达') && raw !== '左右') return 'at_least';
  return 'exactly';
}

/** The measured thing of a target clause: leading 全省 / 到 2020 年 / 确保 … set aside. */
function nameOf(raw: string): string | null {
  const name = raw
    .replace(/^\s+|\s+$/g, '')
    .replace(LEADING_QUALIFIER, '')
    .replace(/(?:分别|均|要|将|应|需|必须)+$/, '')
    .trim();
  if (name.length < 2 || ACTION_START.test(name) || /\d/.test(name.replace(/PM\s*2\.5|PM\s*10/gi, ''))) return null;
  return name;
}

const FULL_WIDTH_FORMS = /[\uff01-\uff5e]/g;

/** Full-width letters, figures and signs as half-width, one character for one (positions hold). */
function halfWidth(text: string): string {
  return text.replace(FULL_WIDTH_FORMS, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
}

const FAILING_BEFORE = /劣|不达标|未达标|超标/;

/** A further value of a list after 分别: `、85%`. */
const MORE_VALUES = /^\s*、\s*(\d+(?:\.\d+)?)\s*[%％](?:\s*(?:以上|以下))?/;
const SHARED = /(?:分别|均)\s*$/;
const CLAUSE_BREAK = /[，,；;。：:！？!?\n]/;

/**
 * The names listed before `rawName` (at `at`) with 、 when it ends in 分别/均, each with where it
 * starts; none when it does not, or when an item names no indicator.
 */
function listedBefore(text: string, at: number, rawName: string): { at: number; raw: string }[] {
  if (!SHARED.test(rawName) || text[at - 1] !== '、') return [];
  let start = at - 1;
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1]!)) start--;
  const out: { at: number; raw: string }[] = [];
  let itemAt = start;
  for (const raw of text.slice(start, at - 1).split('、')) {
    if (!nameOf(raw)) return [];
    out.push({ at: itemAt, raw });
    itemAt += raw.length + 1;
  }
  return out;
}

/** A stable key for a name: width and case folded, spacing removed (细颗粒物(pm2.5)年均浓度). */
export function indicatorKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** The year a target is due: the nearest 到 20XX 年 before it in the task, else the section's. */
function byYearAt(text: string, at: number, contextYear: number | null): number | null {
  let year: number | null = null;
  BY_YEAR.lastIndex = 0;
  for (let m = BY_YEAR.exec(text); m && m.index < at; m = BY_YEAR.exec(text)) year = Number(m[1] ?? m[2]);
  return year ?? contextYear;
}

const BY_YEAR_PLAIN = /到\s*(\d{4})\s*年/g;

/**
 * Each task's `contextYear`: the nearest 到 20XX 年 written in an earlier task of the same section
 * (一.(一).1 "到 2020 年…" sets it for 一.(一).2–4). `texts` are the section's tasks in plan order.
 */
export function sectionContextYears(texts: string[]): (number | null)[] {
  let year: number | null = null;
  return texts.map((text) => {
    const current = year;
    for (const m of text.matchAll(BY_YEAR_PLAIN)) year = Number(m[1]);
    return current;
  });
}

/** The targets a task's text sets, in the order written. */
const MIGHT_SET_A_TARGET = new RegExp(`(?:${UP_VERBS}|${DOWN_VERBS})\\s*\\d`);

export function readTargets(written: string, contextYear: number | null): ProposedTarget[] {
  // Full-width figures (达到 ８２％ 以上) read as half-width, one character for one: quotes are
  // taken from the task as written.
  const text = halfWidth(written);
  // Most tasks set no figure at all: one cheap test before the three patterns.
  if (!MIGHT_SET_A_TARGET.test(text)) return [];
  const found: { at: number; end: number; proposal: ProposedTarget }[] = [];
  const overlaps = (at: number, end: number) => found.some((f) => at < f.end && end > f.at);
  const addOne = (at: number, end: number, rawName: string, target: Omit<IndicatorTarget, 'byYear' | 'period'>, sibling = false) => {
    const nameStart = at + (rawName.length - rawName.trimStart().length);
    const name = nameOf(rawName);
    if (!name || (!sibling && overlaps(at, end))) return;
    const quoteStart = nameStart + rawName.trimStart().indexOf(name);
    found.push({
      at,
      end,
      proposal: {
        key: indicatorKey(name),
        name,
        target: { ...target, byYear: byYearAt(text, at, contextYear), period: /年均/.test(rawName) ? 'year' : null },
        quote: written.slice(quoteStart, end),
      },
    });
  };
  /**
   * Names listed before 分别/均 share the target (化学需氧量、氨氮排放总量分别比 2015 年下降 10%), or
   * take the values listed after it in order (城市污水处理率、县城污水处理率分别达到 95%、85%).
   * Values that do not pair with the names set nothing.
   */
  const add = (at: number, end: number, rawName: string, target: Omit<IndicatorTarget, 'byYear' | 'period'>) => {
    const earlier = listedBefore(text, at, rawName);
    const values = [target.value];
    let valuesEnd = end;
    for (let more = MORE_VALUES.exec(text.slice(valuesEnd)); more && target.unit === '%'; more = MORE_VALUES.exec(text.slice(valuesEnd))) {
      values.push(Number(more[1]));
      valuesEnd += more[0].length;
    }
    if (earlier.length === 0) {
      if (values.length === 1) addOne(at, end, rawName, target);
      return;
    }
    const names = [...earlier, { at, raw: rawName }];
    if (values.length > 1 && values.length !== names.length) return;
    if (overlaps(names[0]!.at, valuesEnd)) return;
    names.forEach((item, i) => addOne(item.at, valuesEnd, item.raw, { ...target, value: values.length > 1 ? values[i]! : target.value }, true));
  };
  CHANGE_TARGET.lastIndex = 0;
  for (let m = CHANGE_TARGET.exec(text); m; m = CHANGE_TARGET.exec(text)) {
    const verb = m[3]!;
    add(m.index, m.index + m[0].length, m[1]!, {
      value: Number(m[4]),
      unit: unitOf(m[5]!),
      direction: DOWN.test(verb) ? 'down' : 'up',
      bound: boundOf(m[6], verb),
      baseYear: Number(m[2]),
      baseValue: null,
    });
  }
  BASED_LEVEL_TARGET.lastIndex = 0;
  for (let m = BASED_LEVEL_TARGET.exec(text); m; m = BASED_LEVEL_TARGET.exec(text)) {
    const verb = m[5]!;
    add(m.index, m.index + m[0].length, m[1]!, {
      value: Number(m[6]),
      unit: unitOf(m[7]!),
      direction: DOWN.test(verb) ? 'down' : 'up',
      bound: boundOf(m[8], verb),
      baseYear: Number(m[2]),
      baseValue: Number(m[3]),
    });
  }
  LEVEL_TARGET.lastIndex = 0;
  for (let m = LEVEL_TARGET.exec(text); m; m = LEVEL_TARGET.exec(text)) {
    const verb = m[2]!;
    // 下降 20% without 比 20XX 年 is a change against nothing written: not a level, not read.
    if (/^(?:提高|提升|增加|上升|增长|下降|降低|减少|削减)$/.test(verb)) continue;
    add(m.index, m.index + m[0].length, m[1]!, {
      value: Number(m[3]),
      unit: unitOf(m[4]!),
      direction: DOWN.test(verb) ? 'down' : 'up',
      bound: boundOf(m[5], verb),
      baseYear: null,
      baseValue: null,
    });
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Map<string, number>();
  return found.map(({ proposal }) => {
    const n = (seen.get(proposal.key) ?? 0) + 1;
    seen.set(proposal.key, n);
    return n === 1 ? proposal : { ...proposal, key: `${proposal.key}#${n}` };
  });
}

// --- the path and the verdict ----------------------------------------------------------------

/** A change target (比 2015 年下降 20%) is drawn as a signed change from 0; a level with its base from that base. */
function isChange(target: IndicatorTarget): boolean {
  return target.baseYear !== null && target.baseValue === null;
}

function endValue(target: IndicatorTarget): number {
  return isChange(target) && target.direction === 'down' ? -target.value : target.value;
}

/**
 * The path from base to target, one point a year (linear). A change target runs from 0 in its
 * base year to ±value (a fall is negative). A target without a base is held at its value: its
 * by-year point alone, or a level line from `fromYear` (a chart's first round) to the by-year.
 */
export function trajectory(target: IndicatorTarget, fromYear?: number): { year: number; value: number }[] {
  const end = endValue(target);
  if (target.byYear === null) return [];
  if (target.baseYear === null || target.byYear <= target.baseYear) {
    if (fromYear === undefined || fromYear >= target.byYear) return [{ year: target.byYear, value: end }];
    const points: { year: number; value: number }[] = [];
    for (let year = Math.floor(fromYear); year <= target.byYear; year++) points.push({ year, value: end });
    return points;
  }
  const start = isChange(target) ? 0 : target.baseValue!;
  const points: { year: number; value: number }[] = [];
  for (let year = target.baseYear; year <= target.byYear; year++) {
    points.push({ year, value: round(start + ((end - start) * (year - target.baseYear)) / (target.byYear - target.baseYear)) });
  }
  return points;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * What the path expects at `yearFraction` (2017.5 = the end of June 2017): linear between base and
 * target, the target itself before the base is known or when the round's date is not.
 */
export function expectedAt(target: IndicatorTarget, yearFraction: number | null): number | null {
  const end = endValue(target);
  if (target.baseYear === null || target.byYear === null || yearFraction === null || target.byYear <= target.baseYear) return end;
  const start = isChange(target) ? 0 : target.baseValue!;
  const at = Math.min(Math.max(yearFraction, target.baseYear), target.byYear);
  return round(start + ((end - start) * (at - target.baseYear)) / (target.byYear - target.baseYear));
}

/** The end of a round's period as a fraction of years: 2017-06-30 → 2017.5, 2017-09-30 → 2017.75. */
export function roundYearFraction(periodEnd: string | null): number | null {
  const m = periodEnd ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(periodEnd) : null;
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  return round(year + (month - 1 + day / daysInMonth) / 12);
}

/** On track, behind, basis differs (not measured alike) or no actual. */
export function verdictOf(target: IndicatorTarget, actual: IndicatorActual | null, expected: number | null): IndicatorVerdict {
  if (!actual) return 'no_actual';
  if (actual.unit !== target.unit) return 'basis_differs';
  if (isChange(target)) {
    if (actual.basis !== 'vs_base_year' || (actual.baseYear !== null && actual.baseYear !== target.baseYear)) return 'basis_differs';
  } else if (actual.basis !== 'level') return 'basis_differs';
  const yearly = target.period === 'year' || target.byYear !== null;
  if (yearly && actual.months !== null && actual.months < 12) return 'basis_differs';
  if (expected === null) return 'basis_differs';
  return target.direction === 'up' ? (actual.value >= expected ? 'on_track' : 'behind') : actual.value <= expected ? 'on_track' : 'behind';
}

// --- actuals in answers ------------------------------------------------------------------------

const FIGURE = /(\d+(?:\.\d+)?)\s*(%|％|个百分点|百分点)/g;
const CHANGE_VERB = /(下降|降低|减少|削减|上升|提高|增加|增长|提升|改善)了?\s*$/;
const FALLING = /下降|降低|减少|削减/;
const VS_YEAR = /(?:同比|比|较|与)\s*(\d{4})\s*年/;
const YEAR_ON_YEAR = /同比|比上年|较上年|比去年|较去年|比上年同期|较上年同期/;
const CUMULATIVE = /累计/;
const GENERIC_SUFFIX = /(?:年均|平均)?(?:浓度|比例|比重|覆盖率|盖度|达标率|率|总量|数量|面积|指数|占比)$/;
const SENTENCE_BREAK = /[。；;！？!?\n]/;

interface Alias {
  /** Tokens any one of which names the indicator (PM2.5, the core name). */
  strong: string[];
  /** The head noun: names the indicator only beside a figure of its unit. */
  head: string | null;
}

export function aliasesOf(name: string): Alias {
  const folded = name.normalize('NFKC');
  const strong = (folded.match(/[A-Za-z][A-Za-z0-9.]*\d[A-Za-z0-9.]*/g) ?? []).map((t) => t.toLowerCase());
  const core = folded
    .replace(/\([^)]*\)/g, '')
    .replace(/\s+/g, '')
    .replace(GENERIC_SUFFIX, '');
  if (core.length >= 2) strong.push(core.toLowerCase());
  const head = core.length >= 2 ? core.slice(-2) : null;
  return { strong, head };
}

function monthsIn(sentence: string): number | null {
  const range = /(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})\s*月/.exec(sentence);
  if (range) {
    const months = Number(range[2]) - Number(range[1]) + 1;
    return months >= 1 && months <= 12 ? months : null;
  }
  if (/上半年/.test(sentence)) return 6;
  if (/前三季度/.test(sentence)) return 9;
  if (/第?[一1]\s*季度/.test(sentence)) return 3;
  if (/全年/.test(sentence)) return 12;
  return null;
}

export interface ActualCandidate {
  actual: IndicatorActual;
  /** Where the figure is in the answer (one figure reports one indicator). */
  at: number;
  /** 2: named by a strong alias; 1: by the head noun only. */
  score: number;
  /** Where the naming word is, nearest before the figure (a nearer mention names the figure). */
  mentionAt: number;
}

/**
 * The figures of an answer that report `alias`'s indicator: percentages (and 百分点 changes)
 * in a sentence that names it. A change is signed (下降 11.3% → −11.3).
 */
const figureOfUnit = new Map<string, RegExp>();

function figurePattern(unit: string): RegExp {
  if (unit === '%') return FIGURE;
  let pattern = figureOfUnit.get(unit);
  if (!pattern) {
    pattern = new RegExp(`(\\d+(?:\\.\\d+)?)\\s*(${unit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')})`, 'g');
    figureOfUnit.set(unit, pattern);
  }
  return pattern;
}

/**
 * The answer lower-cased with full-width letters, figures and signs as half-width, one character
 * for one: positions hold, so a quote is taken from the answer as written. (NFKC would turn ……
 * into ...... and shift every later position; ＰＭ２．５ and ７２．４％ are what matter here.)
 * Kept for the last answer: each of a task's indicators reads the same one.
 */
let foldedFrom: string | null = null;
let folded = '';
function foldWidth(text: string): string {
  if (text !== foldedFrom) {
    foldedFrom = text;
    folded = halfWidth(text).toLowerCase();
    if (folded.length !== text.length) folded = text.toLowerCase();
  }
  return folded;
}

export function actualsIn(answer: string, alias: Alias, unit: string): ActualCandidate[] {
  const out: ActualCandidate[] = [];
  const lower = foldWidth(answer);
  // Figures are read from the folded text (７２．４％ is 72.4%), words quoted from the answer.
  const text = lower.length === answer.length ? lower : answer;
  const figure = figurePattern(unit);
  figure.lastIndex = 0;
  for (let m = figure.exec(text); m; m = figure.exec(text)) {
    let start = m.index;
    while (start > 0 && !SENTENCE_BREAK.test(text[start - 1]!)) start--;
    const sentence = lower.slice(start, m.index);
    let score = 0;
    let mentionAt = -1;
    for (const token of alias.strong) {
      const at = sentence.lastIndexOf(token);
      if (at >= 0 && at + token.length > mentionAt) {
        score = 2;
        mentionAt = at + token.length;
      }
    }
    if (score === 0 && alias.head) {
      const at = sentence.lastIndexOf(alias.head);
      // The head noun qualified as failing (劣 V 类断面, 不达标断面) is the opposite of the indicator.
      if (at >= 0 && !FAILING_BEFORE.test(sentence.slice(Math.max(0, at - 8), at))) {
        score = 1;
        mentionAt = at + alias.head.length;
      }
    }
    if (score === 0) continue;
    const before = text.slice(start, m.index);
    const verb = CHANGE_VERB.exec(before);
    const clause = before.slice(Math.max(before.lastIndexOf('，'), before.lastIndexOf(',')) + 1);
    const percentagePoints = m[2] === '个百分点' || m[2] === '百分点';
    let basis: ActualBasis = 'level';
    let baseYear: number | null = null;
    if (verb || percentagePoints) {
      const vs = VS_YEAR.exec(clause);
      if (vs) {
        basis = 'vs_base_year';
        baseYear = Number(vs[1]);
      } else if (CUMULATIVE.test(clause)) basis = 'cumulative';
      else basis = 'year_on_year';
    } else if (CUMULATIVE.test(clause)) basis = 'cumulative';
    else if (YEAR_ON_YEAR.test(clause)) basis = 'year_on_year';
    const magnitude = Number(m[1]);
    const value = verb && FALLING.test(verb[1]!) ? -magnitude : magnitude;
    const end = m.index + m[0].length;
    let quoteStart = start;
    while (quoteStart < end && /\s/.test(text[quoteStart]!)) quoteStart++;
    out.push({
      actual: { value, unit, basis, months: monthsIn(text.slice(start, end)), baseYear, quote: answer.slice(quoteStart, end) },
      at: m.index,
      score,
      mentionAt: start + mentionAt,
    });
  }
  return out;
}

/** The figure that reports the target best: named by a strong alias first, then measured alike, then first written. */
export function bestActual(target: IndicatorTarget, candidates: ActualCandidate[]): IndicatorActual | null {
  if (candidates.length === 0) return null;
  const alike = (c: ActualCandidate) => (isChange(target) ? c.actual.basis === 'vs_base_year' : c.actual.basis === 'level');
  const ranked = [...candidates].sort((a, b) => b.score - a.score || Number(alike(b)) - Number(alike(a)));
  return ranked[0]!.actual;
}
