import type { ArithmeticRelation } from './types.ts';
import { decimalsOf, FIGURE_WITH_MEASURE, formatSum, oneDigitMore, readCount, roundsTo } from './numbers.ts';

/**
 * Arithmetic the answers state (decision 032): a total and the parts that enumerate it, a share of
 * a whole, a count and the list it counts — each recomputed and recorded, right or wrong. Only a
 * relation the text states is read: parts that may be a subset, a share whose whole is not written,
 * a list that 等 leaves open are left alone.
 */
export interface StatedRelation {
  relation: ArithmeticRelation;
  quote: string;
  stated: string;
  computed: string;
  ok: boolean;
  /** Where the quote starts in the answer (for ordering). */
  at: number;
}

interface Figure {
  start: number;
  end: number;
  raw: string;
  value: number;
  measure: string;
  approximate: boolean;
}

const SENTENCE_END = /[。！？!?\n]/;
const CLAUSE_END = /[，,；;。！？!?\n]/;
const SEGMENT_END = /[、，,；;。！？!?\n]/;
const TOTAL_BEFORE = /(?:共计|合计|总计|总共|共有|总数为|总数|共)\s*$/;
const NEW_TOTAL_IN = /共计|合计|总计|总共|共有|总数|共\s*\d/;
const QIZHONG = /其中/g;
const REMAINDER_WORD = /未|其余|其他|剩余|另/;
/** A segment that only dates the count (截止目前，… / 截至 2017 年 6 月底，…): passed over before the first part. */
const AS_OF_ONLY =
  /^\s*(?:截[至止](?:到|至)?\s*(?:目前|今|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底|末)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:底|末)?)|目前|当前|今年以来)\s*$/;
const SHARE = /(占比|占[^，,；;。！？!?\n\d%％]{0,12}?的|占(?!比)|完成率|比例|比重)\s*(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)\s*[%％]/g;
const COUNT_AFTER_LIST =
  /(?<![第\d.])(等共|等|共)?\s*(\d+|[一二两三四五六七八九十]{1,3})\s*(?:个|项|家|市|县|条|类|批|起|级|种|所|座|处|名|位|部|份|件|大|方面)/g;
const COUNT_BEFORE_LIST =
  /(?<![第\d.])(\d+|[一二两三四五六七八九十]{1,3})\s*(?:个|项|家|条|类|批|起|种|所|座|处|名|位|部|份|件)([^，,；;。：:！？!?\n、《\d]{0,12}?)(：|:|，?分别为|，?分别是|，?包括|，?即)\s*/g;
const COUNT_BEFORE_TITLES =
  /(?<![第\d.])(\d+|[一二两三四五六七八九十]{1,3})\s*(?:个|项|份|部|件|篇)([^，,；;。：:！？!?\n、《\d]{0,8}?)\s*((?:《[^》]{1,80}》\s*[、，,和及与]?\s*)+)/g;
const LIST_JOIN = /和|以及|及|与/;
const LIST_JOINS = /和|以及|及|与/g;

function figuresOf(text: string): Figure[] {
  const out: Figure[] = [];
  FIGURE_WITH_MEASURE.lastIndex = 0;
  for (let m = FIGURE_WITH_MEASURE.exec(text); m; m = FIGURE_WITH_MEASURE.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length, raw: m[1]!, value: Number(m[1]), measure: m[3]!, approximate: m[2] !== undefined });
  }
  return out;
}

/**
 * Where each position's sentence, clause and list begin, computed once per answer into reused
 * buffers (an answer may be 20,000 characters: no scanning back from every figure).
 */
let sentenceAt = new Int32Array(1024);
let clauseAt = new Int32Array(1024);
let listAt = new Int32Array(1024);

function markStarts(text: string): void {
  if (sentenceAt.length <= text.length) {
    const size = text.length * 2 + 1;
    sentenceAt = new Int32Array(size);
    clauseAt = new Int32Array(size);
    listAt = new Int32Array(size);
  }
  let sentence = 0;
  let clause = 0;
  let list = 0;
  for (let i = 0; i <= text.length; i++) {
    sentenceAt[i] = sentence;
    clauseAt[i] = clause;
    listAt[i] = list;
    const char = text[i];
    if (char === undefined) break;
    if (SENTENCE_END.test(char)) sentence = i + 1;
    if (CLAUSE_END.test(char)) clause = list = i + 1;
    else if (char === '：' || char === ':') list = i + 1;
  }
}

/** Start of the sentence holding `at` (after 。！？ or a line break). */
function sentenceStart(at: number): number {
  return sentenceAt[at]!;
}

/** Start of the clause holding `at` (after ，；。 …). */
function clauseStart(at: number): number {
  return clauseAt[at]!;
}

function nextIndex(text: string, from: number, pattern: RegExp, limit = Infinity): number {
  const end = Math.min(text.length, from + limit);
  for (let i = from; i < end; i++) if (pattern.test(text[i]!)) return i;
  return end;
}

/** Index of the last figure ending at or before `at`; -1 when none (figures are in text order). */
function lastEndingBy(figures: Figure[], at: number): number {
  let low = 0;
  let high = figures.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (figures[mid]!.end <= at) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/** The figures lying wholly within [from, to). */
function figuresWithin(figures: Figure[], from: number, to: number): Figure[] {
  const out: Figure[] = [];
  for (let i = lastEndingBy(figures, to); i >= 0 && figures[i]!.start >= from; i--) out.unshift(figures[i]!);
  return out;
}

/** Is this figure written as a total (共计 N 个, 合计 N 家, 总数为 N 件, N 个，其中)? */
function isMarkedTotal(text: string, figure: Figure): boolean {
  if (TOTAL_BEFORE.test(text.slice(Math.max(0, figure.start - 4), figure.start))) return true;
  return /^\s*[，,：:]?\s*其中/.test(text.slice(figure.end, figure.end + 6));
}

interface Part {
  figure: Figure;
  label: string;
}

/**
 * The parts after a total: a run of segments each carrying one figure of the total's measure,
 * separated by 、，；. A share (占比 …%) between parts is passed over; a number-less label before
 * 、 joins the next segment (查封、扣押案件143件). The run stops at a new total, another measure,
 * a second figure in one segment, or the end of the sentence (`clean` only then or at a new total).
 */
function readParts(
  text: string,
  from: number,
  total: Figure,
  figures: Figure[],
  otherTotalsFirst: boolean,
): { parts: Part[]; clean: boolean; approximate: boolean } {
  const parts: Part[] = [];
  let i = from;
  let label = '';
  while (i < text.length) {
    const sep = nextIndex(text, i, SEGMENT_END);
    const segment = text.slice(i, sep);
    const separator = text[sep] ?? '';
    const inSegment = figuresWithin(figures, i, sep);
    const same = inSegment.filter((f) => f.measure === total.measure);
    const other = inSegment.filter((f) => f.measure !== total.measure);
    const hasPercent = /\d\s*[%％]/.test(segment);
    const endsSentence = separator === '' || SENTENCE_END.test(separator);
    const followedByQizhong = /^\s*[，,：:]?\s*其中/.test(text.slice(sep, sep + 6)) || /其中/.test(segment);
    // A remainder written as a total closes the list (还未实施的企业共计 18 家): a part, not a new total.
    const totalWordAt = segment.search(NEW_TOTAL_IN);
    const closingRemainder =
      totalWordAt > 0 &&
      same.length === 1 &&
      other.length === 0 &&
      parts.length > 0 &&
      !followedByQizhong &&
      REMAINDER_WORD.test(segment.slice(0, totalWordAt));
    if (segment.trim() === '') {
      if (endsSentence) return { parts, clean: true, approximate: false };
    } else if (parts.length === 0 && inSegment.length === 0 && !hasPercent && label === '' && AS_OF_ONLY.test(segment)) {
      // the date the parts are counted at (截止目前): passed over
    } else if (same.length > 0 && (NEW_TOTAL_IN.test(segment) || followedByQizhong) && !closingRemainder) {
      return { parts, clean: true, approximate: false };
    } else if (same.length === 1 && other.length === 0 && !hasPercent) {
      if (same[0]!.approximate) return { parts, clean: false, approximate: true };
      parts.push({ figure: same[0]!, label: label + segment });
      label = '';
    } else if (inSegment.length === 0 && hasPercent && /占|比|率/.test(segment)) {
      // a share of the part just read: passed over
    } else if (same.length === 0 && other.length > 0 && parts.length === 0 && otherTotalsFirst && NEW_TOTAL_IN.test(segment)) {
      // a total of another measure beside this one (污水管道合计 885.92 公里): not a part
    } else if (inSegment.length === 0 && !hasPercent && separator === '、' && !/\d/.test(segment)) {
      label += segment + '、';
    } else {
      return { parts, clean: false, approximate: false };
    }
    if (endsSentence) return { parts, clean: true, approximate: false };
    i = sep + 1;
  }
  return { parts, clean: true, approximate: false };
}

function sumRelation(text: string, total: Figure, parts: Part[]): StatedRelation | null {
  if (parts.length < 2) return null;
  const decimals = Math.max(decimalsOf(total.raw), ...parts.map((p) => decimalsOf(p.figure.raw)));
  const scale = 10 ** decimals;
  const sum = parts.reduce((acc, p) => acc + Math.round(p.figure.value * scale), 0);
  const whole = Math.round(total.value * scale);
  const last = parts[parts.length - 1]!;
  if (sum !== whole) {
    // A mismatch is an error only where the parts plainly enumerate the whole: a remainder closes
    // the list (未启动, 其余 …), or three parts or more none of which is the sum of those after it
    // (发现问题 30 家、已整改 25 家、正在整改 5 家 is nested, not a partition). Two parts may be a
    // subset (已完成 20 个、在建 40 个 of 139) or overlap (发现问题 80 家、已整改 60 家 of 120).
    const closes = REMAINDER_WORD.test(last.label);
    let nested = false;
    let after = 0;
    for (let i = parts.length - 1; i >= 0; i--) {
      const value = Math.round(parts[i]!.figure.value * scale);
      if (i < parts.length - 1 && parts.length - i >= 3 && value === after) nested = true;
      after += value;
    }
    // Nested parts are never a partition, even when the last is a remainder (120 家存在问题，已整改
    // 100 家，未整改 20 家: the 20 remain of the 120, not of the total).
    if (nested || (!closes && parts.length < 3)) return null;
    // 等 after the last part leaves the list open (大气类 200 件、水类 150 件、噪声类 100 件等).
    if (/^\s*等/.test(text.slice(last.figure.end))) return null;
  }
  return {
    relation: 'sum',
    quote: text.slice(total.start, last.figure.end),
    stated: total.raw,
    computed: formatSum(sum / scale, decimals),
    ok: sum === whole,
    at: total.start,
  };
}

function sums(text: string, figures: Figure[]): StatedRelation[] {
  const out: StatedRelation[] = [];
  const used = new Set<number>();
  QIZHONG.lastIndex = 0;
  for (let m = QIZHONG.exec(text); m; m = QIZHONG.exec(text)) {
    let totalEnd = m.index;
    while (totalEnd > 0 && /[\s，,：:]/.test(text[totalEnd - 1]!)) totalEnd--;
    const total = figures[lastEndingBy(figures, totalEnd)];
    if (total?.end !== totalEnd) continue;
    if (total.approximate) continue;
    const from = m.index + 2 + (/^[\s，,：:]*/.exec(text.slice(m.index + 2))?.[0].length ?? 0);
    const { parts, approximate } = readParts(text, from, total, figures, false);
    if (approximate) continue;
    used.add(total.start);
    const relation = sumRelation(text, total, parts);
    if (relation) out.push(relation);
  }
  for (const total of figures) {
    if (used.has(total.start) || total.approximate) continue;
    if (!TOTAL_BEFORE.test(text.slice(Math.max(0, total.start - 4), total.start))) continue;
    const after = /^\s*[，,；;]/.exec(text.slice(total.end));
    if (!after) continue;
    const { parts, clean, approximate } = readParts(text, total.end + after[0].length, total, figures, true);
    if (approximate || !clean) continue;
    const relation = sumRelation(text, total, parts);
    if (relation) out.push(relation);
  }
  return out;
}

/** The figure's clause, up to the figure, says 完成 (已完成 20 个, 完成整治 90 个). */
function saysCompleted(text: string, figure: Figure): boolean {
  return text.slice(clauseStart(figure.start), figure.start).includes('完成');
}

function ratios(text: string, figures: Figure[]): StatedRelation[] {
  const out: StatedRelation[] = [];
  SHARE.lastIndex = 0;
  for (let m = SHARE.exec(text); m; m = SHARE.exec(text)) {
    const markerAt = m.index;
    if (/同|环/.test(text[markerAt - 1] ?? '') && m[1]!.startsWith('比')) continue;
    const sentence = sentenceStart(markerAt);
    const ownClause = clauseStart(markerAt);
    const previousClause = ownClause > sentence ? clauseStart(ownClause - 1) : ownClause;
    let partIndex = lastEndingBy(figures, markerAt);
    if (partIndex < 0 || figures[partIndex]!.start < previousClause) continue;
    // 完成率 is the share completed: after a list of parts (其中完成 20 个，在建 30 个，完成率 40%)
    // its part is the figure said 完成, not merely the nearest.
    if (m[1] === '完成率' && !saysCompleted(text, figures[partIndex]!)) {
      for (let i = partIndex - 1; i >= 0 && figures[i]!.start >= sentence; i--) {
        if (figures[i]!.measure === figures[partIndex]!.measure && saysCompleted(text, figures[i]!)) {
          partIndex = i;
          break;
        }
      }
    }
    const part = figures[partIndex]!;
    if (part.approximate) continue;
    const partClause = clauseStart(part.start);
    let whole: Figure | undefined;
    // The whole: in the part's own clause (87 个…有 63 个), else the nearest marked total of the sentence.
    for (let i = partIndex - 1, looked = 0; i >= 0 && figures[i]!.start >= sentence && looked < 200; i--, looked++) {
      const figure = figures[i]!;
      if (figure.measure !== part.measure) continue;
      if (figure.start >= partClause || isMarkedTotal(text, figure)) {
        whole = figure;
        break;
      }
    }
    if (!whole || whole.approximate || whole.value === 0) continue;
    const statedRaw = m[2]!;
    const decimals = decimalsOf(statedRaw);
    const stated = Number(statedRaw);
    // A share may be of a whole nested in the total (其中重点企业 100 家，已完成改造 80 家，占重点企业的
    // 80%): when the total does not give the stated share, a figure of the measure between it and
    // the part that does is the whole the text means.
    if (!roundsTo((part.value / whole.value) * 100, stated, decimals)) {
      for (let i = partIndex - 1; i >= 0 && figures[i]!.start > whole.start; i--) {
        const nested = figures[i]!;
        if (nested.measure !== part.measure || nested.approximate || nested.value === 0) continue;
        if (roundsTo((part.value / nested.value) * 100, stated, decimals)) {
          whole = nested;
          break;
        }
      }
    }
    const computed = (part.value / whole.value) * 100;
    const end = markerAt + m[0].length;
    out.push({
      relation: 'ratio',
      quote: text.slice(whole.start, end),
      stated: `${statedRaw}%`,
      computed: `${oneDigitMore(computed, decimals)}%`,
      ok: roundsTo(computed, stated, decimals),
      at: whole.start,
    });
  }
  return out;
}

function itemsOf(list: string): string[] {
  const parts = list.split('、');
  const last = parts.pop()!;
  const joined = last.split(LIST_JOIN);
  const items = [...parts, ...(joined.length === 2 ? joined : [last])];
  return items.map((item) => item.trim());
}

function countRelation(text: string, start: number, end: number, statedRaw: string, items: string[], open: boolean, listBefore = false): StatedRelation | null {
  const stated = readCount(statedRaw);
  if (stated === null || stated < 2 || items.length < 2 || items.some((item) => item === '')) return null;
  // 等 leaves the list open: fewer items than the count is no error.
  if (open && items.length < stated) return null;
  // A figure far above the list's length counts something else (查封、扣押案件143件).
  if (stated > items.length * 2) return null;
  // A list before its count is held to it only when it is a list of names: a long phrase last
  // (完成市、县环境监测站标准化建设 3 个) counts something else. The first item may carry its verb.
  if (listBefore && stated !== items.length && items.slice(1).some((item) => item.length > 8)) return null;
  // …nor when the last item runs on past the names before it (成都、自贡、德阳编制方案 2 个 counts
  // plans): the names in the middle say how long a name is.
  if (listBefore && stated !== items.length && items.length >= 3) {
    const middle = Math.max(...items.slice(1, -1).map((item) => item.length));
    if (items[items.length - 1]!.length > middle + 2) return null;
  }
  return { relation: 'count', quote: text.slice(start, end), stated: statedRaw, computed: String(items.length), ok: stated === items.length, at: start };
}

function counts(text: string, figures: Figure[]): StatedRelation[] {
  const out: StatedRelation[] = [];
  const taken = new Set<number>();
  COUNT_BEFORE_TITLES.lastIndex = 0;
  for (let m = COUNT_BEFORE_TITLES.exec(text); m; m = COUNT_BEFORE_TITLES.exec(text)) {
    const titles = m[3]!.match(/《[^》]+》/g) ?? [];
    const trimmedEnd = m.index + m[0].replace(/[\s、，,和及与]+$/, '').length;
    const relation = countRelation(text, m.index, trimmedEnd, m[1]!, titles, false);
    if (relation) {
      out.push(relation);
      taken.add(m.index);
    }
  }
  COUNT_BEFORE_LIST.lastIndex = 0;
  for (let m = COUNT_BEFORE_LIST.exec(text); m; m = COUNT_BEFORE_LIST.exec(text)) {
    if (taken.has(m.index)) continue;
    const listStart = m.index + m[0].length;
    let listEnd = nextIndex(text, listStart, /[。；;！？!?\n]/, 400);
    const comma = nextIndex(text, listStart, /[，,]/, 400);
    if (comma < listEnd && text.slice(listStart, comma).includes('、')) listEnd = comma;
    const list = text.slice(listStart, listEnd).replace(/\s+$/, '');
    const open = /等$/.test(list);
    const relation = countRelation(text, m.index, listStart + list.length, m[1]!, itemsOf(list.replace(/等$/, '')), open);
    if (relation) {
      out.push(relation);
      taken.add(m.index);
    }
  }
  COUNT_AFTER_LIST.lastIndex = 0;
  for (let m = COUNT_AFTER_LIST.exec(text); m; m = COUNT_AFTER_LIST.exec(text)) {
    const countAt = m.index + (m[1]?.length ?? 0) + (/^\s*/.exec(text.slice(m.index + (m[1]?.length ?? 0)))?.[0].length ?? 0);
    if (taken.has(countAt)) continue;
    // The list runs back to the clause's start, a colon, or the last figure before it (a list
    // never holds figures of its own: 已完成 20 个、正在调试 4 个 is a run of parts).
    let regionStart = listAt[m.index]!;
    const lastFigure = figures[lastEndingBy(figures, m.index)];
    if (lastFigure && lastFigure.end > regionStart) regionStart = lastFigure.end;
    const lead = /^\s*(?:\d+\s*[.．、]\s*)?/.exec(text.slice(regionStart, m.index))![0].length;
    regionStart += lead;
    const region = text.slice(regionStart, m.index).trim();
    if (!region.includes('、') && (region.match(LIST_JOINS) ?? []).length !== 1) continue;
    const items = itemsOf(region);
    // 等 closes a list that may go on (…于会文厅长等领导 6 名院士): fewer items is no error.
    const open = (m[1] !== undefined && m[1].startsWith('等')) || /等/.test(items[items.length - 1] ?? '');
    const relation = countRelation(text, regionStart, m.index + m[0].length, m[2]!, items, open, true);
    if (relation) out.push(relation);
  }
  return out;
}

/** Every relation an answer states, in the order they appear. */
export function statedRelations(text: string): StatedRelation[] {
  // Full-width figures (１２３．４) read as half-width: one character for one, so every position
  // holds, and each quote is taken back from the answer as written.
  const fullWidth = FULL_WIDTH_FIGURE.test(text);
  const read = fullWidth ? text.replace(FULL_WIDTH_FIGURES, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)) : text;
  const figures = figuresOf(read);
  markStarts(read);
  const relations = [...sums(read, figures), ...ratios(read, figures), ...counts(read, figures)].sort((a, b) => a.at - b.at);
  if (fullWidth) {
    // Every quote starts where its relation is (`at`).
    for (const relation of relations) relation.quote = text.slice(relation.at, relation.at + relation.quote.length);
  }
  return relations;
}

const FULL_WIDTH_FIGURE = /[０-９．]/;
const FULL_WIDTH_FIGURES = /[０-９．]/g;
