import { invalid } from '../../../domain/errors.ts';
import { parseXmlPart, readRelationships, resolvePartName } from './xml.ts';
import type { OoxmlPackage } from './zip.ts';

/**
 * The sheets of an Excel workbook as the table readers need them (decision 008): each cell's text
 * by row and column, and the merged ranges. Read event by event from the workbook, its shared
 * strings and the sheet parts: shared strings (`t="s"`, rich text runs joined, phonetic guides
 * left out) and inline strings (`t="inlineStr"`) give text; a formula's cached value is its text
 * and the formula itself is never read, let alone evaluated; numbers and booleans stay as written.
 */
export interface SheetRef {
  name: string;
  part: string;
}

export interface Sheet {
  name: string;
  /** Row number (1-based, as Excel shows it) → column index (0-based) → text. Only cells with text. */
  rows: Map<number, Map<number, string>>;
  /** Merged ranges, 0-based columns and 1-based rows, inclusive. */
  merges: { top: number; left: number; bottom: number; right: number }[];
}

/** The sheets in the workbook's tab order. */
export function workbookSheets(pkg: OoxmlPackage): SheetRef[] {
  const relationships = readRelationships(pkg, 'xl/_rels/workbook.xml.rels');
  const sheets: SheetRef[] = [];
  parseXmlPart(pkg, 'xl/workbook.xml', {
    open(tag) {
      if (tag.ns !== 's' || tag.local !== 'sheet') return;
      const name = tag.attr('name') ?? '';
      const target = relationships.get(tag.attr('id', 'r') ?? '')?.target;
      if (target) sheets.push({ name, part: resolvePartName('xl/workbook.xml', target) });
    },
    close() {},
    text() {},
  });
  return sheets;
}

export function readSharedStrings(pkg: OoxmlPackage): string[] {
  const strings: string[] = [];
  if (!pkg.has('xl/sharedStrings.xml')) return strings;
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  parseXmlPart(pkg, 'xl/sharedStrings.xml', {
    open(tag) {
      if (tag.ns !== 's') return;
      if (tag.local === 'si') current = '';
      else if (tag.local === 'rPh') phonetic++;
      else if (tag.local === 't') inText = true;
    },
    close(tag) {
      if (tag.ns !== 's') return;
      if (tag.local === 'si') {
        strings.push(current ?? '');
        current = null;
      } else if (tag.local === 'rPh') phonetic--;
      else if (tag.local === 't') inText = false;
    },
    text(text) {
      if (inText && phonetic === 0 && current !== null) current += text;
    },
  });
  return strings;
}

/** `B12` → column 1; `AA` → 26. */
export function columnIndex(reference: string): number {
  const letters = /^[A-Z]+/i.exec(reference)?.[0].toUpperCase() ?? '';
  let index = 0;
  for (const letter of letters) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

const rowNumber = (reference: string) => Number(/\d+$/.exec(reference)?.[0] ?? NaN);

export function readSheet(pkg: OoxmlPackage, sheet: SheetRef, sharedStrings: readonly string[]): Sheet {
  const rows = new Map<number, Map<number, string>>();
  const merges: Sheet['merges'] = [];
  let row = 0;
  let column = -1;
  let type = 'n';
  let value: string | null = null;
  let inline: string | null = null;
  let capture: 'v' | 't' | null = null;
  let phonetic = 0;
  const where = () => `${pkg.source}：工作表“${sheet.name}”第${row}行第${column + 1}列`;

  parseXmlPart(pkg, sheet.part, {
    open(tag) {
      if (tag.ns !== 's') return;
      switch (tag.local) {
        case 'row': {
          const r = Number(tag.attr('r') ?? row + 1);
          row = Number.isInteger(r) && r > 0 ? r : row + 1;
          column = -1;
          break;
        }
        case 'c': {
          const reference = tag.attr('r');
          column = reference ? columnIndex(reference) : column + 1;
          type = tag.attr('t') ?? 'n';
          value = null;
          inline = null;
          break;
        }
        case 'v':
          capture = 'v';
          value = '';
          break;
        case 'is':
          inline = '';
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          if (inline !== null) capture = 't';
          break;
        case 'mergeCell': {
          const [from = '', to = from] = (tag.attr('ref') ?? '').split(':');
          const range = { top: rowNumber(from), left: columnIndex(from), bottom: rowNumber(to), right: columnIndex(to) };
          if ([range.top, range.bottom].every(Number.isInteger) && range.left >= 0 && range.right >= range.left && range.bottom >= range.top)
            merges.push(range);
          break;
        }
      }
    },
    close(tag) {
      if (tag.ns !== 's') return;
      if (tag.local === 'v' || tag.local === 't') capture = null;
      else if (tag.local === 'rPh') phonetic--;
      else if (tag.local === 'c') {
        let text: string | null;
        if (type === 's') {
          const index = Number(value);
          if (value === null) text = null;
          else if (!Number.isInteger(index) || index < 0 || index >= sharedStrings.length)
            throw invalid('import_xlsx_cell', `${where()}：引用了不存在的共享字符串 ${value}，文件已损坏`, {
              file: pkg.source,
              sheet: sheet.name,
              row,
              column: column + 1,
            });
          else text = sharedStrings[index]!;
        } else if (type === 'inlineStr') text = inline;
        else if (type === 'b') text = value === null ? null : value === '1' ? 'TRUE' : 'FALSE';
        else text = value;
        if (text !== null && text !== '' && column >= 0) {
          let cells = rows.get(row);
          if (!cells) rows.set(row, (cells = new Map()));
          cells.set(column, text);
        }
      }
    },
    text(text) {
      if (phonetic > 0) return;
      if (capture === 'v' && value !== null) value += text;
      else if (capture === 't' && inline !== null) inline += text;
    },
  });
  return { name: sheet.name, rows, merges };
}
