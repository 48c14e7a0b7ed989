import { normaliseName, squeezeCjkSpaces } from '../../domain/text.ts';

/**
 * The names a document uses for departments, leaders and units, learnt from its own rows whose
 * cells sit in their columns. With them the reader can tell a leader that slipped into the
 * progress column from progress text, and split `高 洁 钟勤建` into 高洁 and 钟勤建.
 */
export interface Vocabulary {
  isDepartment(cell: string): boolean;
  isLeaderList(cell: string): boolean;
  isUnitList(cell: string): boolean;
  isUnit(name: string): boolean;
  leaderNames(cell: string, line: number, warnings: string[]): string[];
  unitNames(cell: string, line: number, warnings: string[]): string[];
  unitList(): string[];
  /** The table's own names of its columns, for messages (牵头局领导 in a bureau's table). */
  words: ColumnWords;
}

/** What a table calls its columns; messages use its words, not the seed's. */
export interface ColumnWords {
  task: string;
  department: string;
  leaders: string;
  units: string;
  progress: string;
}

/** The seed's header words. */
export const SEED_WORDS: ColumnWords = { task: '具体工作任务', department: '省级牵头部门', leaders: '牵头厅领导', units: '责任部门', progress: '推进情况' };

const CHAPTER = /^[〇零一二三四五六七八九十百]+、/;
const SECTION = /^[(（][〇零一二三四五六七八九十百\s]+[)）]/;
const LIST_SEPARATOR = /[、，,;；]/;
/** Internal units of a department end like this (处, 办公室, 监察总队, 监测总站, 信息中心, 三大办, 驻厅纪检组). */
const UNIT_SUFFIX = /(处|室|中心|总队|总站|办|组|局|队|站|所|院)$/;

const at = (line: number, message: string) => `第${line}行：${message}`;

export function createVocabulary(rows: string[][], words: ColumnWords = SEED_WORDS): Vocabulary {
  const departments = new Set<string>();
  const leaders = new Set<string>();
  const units = new Set<string>();
  for (const cells of rows) {
    const [chapter = '', section = '', task = '', department = '', leaderCell = '', unitCell = ''] = cells;
    const inPlace = (chapter === '' || CHAPTER.test(squeezeCjkSpaces(chapter))) && (section === '' || SECTION.test(squeezeCjkSpaces(section))) && task !== '';
    if (!inPlace) continue;
    if (department) departments.add(normaliseName(department));
    for (const token of leaderCell.split(/[\s、，,;；]+/)) if (token.length >= 2) leaders.add(normaliseName(token));
    for (const piece of unitCell.split(LIST_SEPARATOR)) {
      const name = piece.trim();
      if (name.length >= 2 && !/\s/.test(name)) units.add(normaliseName(name));
    }
  }

  /** Splits a leader cell; consecutive single characters are one spaced-out name (`高 洁`). */
  function resolveLeaders(cell: string): { names: string[]; unsure: string[] } {
    const tokens = cell
      .split(/[\s、，,;；]+/)
      .filter(Boolean)
      .map(normaliseName);
    const names: string[] = [];
    const unsure: string[] = [];
    let p = 0;
    while (p < tokens.length) {
      let taken = 0;
      for (let k = Math.min(4, tokens.length - p); k >= 1 && !taken; k--) if (leaders.has(tokens.slice(p, p + k).join(''))) taken = k;
      if (!taken && tokens[p]!.length >= 2) taken = 1;
      if (!taken) {
        while (p + taken < tokens.length && tokens[p + taken]!.length === 1) taken++;
        const joined = tokens.slice(p, p + taken).join('');
        if (joined.length < 2 || joined.length > 3) unsure.push(joined);
      }
      names.push(tokens.slice(p, p + taken).join(''));
      p += taken;
    }
    return { names, unsure };
  }

  /** Splits a unit cell on 、，; within a piece, spaces either separate units or sit inside one. */
  function resolveUnits(cell: string, strict: boolean): string[] | null {
    const names: string[] = [];
    for (const piece of cell.split(LIST_SEPARATOR)) {
      const tokens = piece.trim().split(/\s+/).filter(Boolean).map(normaliseName);
      let p = 0;
      while (p < tokens.length) {
        let taken = 0;
        for (let k = tokens.length - p; k >= 1 && !taken; k--) if (units.has(tokens.slice(p, p + k).join(''))) taken = k;
        if (!taken) {
          if (strict) return null;
          // Unknown name: spaces inside it are extraction noise; it ends where a unit name ends.
          let joined = '';
          while (p + taken < tokens.length) {
            joined += tokens[p + taken];
            taken++;
            if (joined.length >= 2 && UNIT_SUFFIX.test(joined)) break;
          }
        }
        names.push(tokens.slice(p, p + taken).join(''));
        p += taken;
      }
    }
    return names;
  }

  return {
    isDepartment: (cell) => departments.has(normaliseName(cell)),
    isLeaderList(cell) {
      const { names, unsure } = resolveLeaders(cell);
      return names.length > 0 && unsure.length === 0 && names.every((name) => leaders.has(name));
    },
    isUnitList(cell) {
      const names = resolveUnits(cell, true);
      return names !== null && names.length > 0;
    },
    isUnit: (name) => units.has(normaliseName(name)),
    leaderNames(cell, line, warnings) {
      const { names, unsure } = resolveLeaders(cell);
      for (const name of unsure) warnings.push(at(line, `${words.leaders}“${name}”无法确定是否为完整姓名，按原文导入`));
      return dedupe(names, line, words.leaders, warnings);
    },
    unitNames(cell, line, warnings) {
      return dedupe(resolveUnits(cell, false) ?? [], line, words.units, warnings);
    },
    unitList: () => [...units],
    words,
  };
}

function dedupe(names: string[], line: number, what: string, warnings: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (seen.has(name)) warnings.push(at(line, `${what}“${name}”重复出现，只保留第一次`));
    else out.push(name);
    seen.add(name);
  }
  return out;
}
