/**
 * How many lines a text takes in a table cell, measured from the text alone (decision 023): the
 * progress table paginates itself, so it must know each cell's height before Word or LibreOffice
 * lays it out. Widths are in ems of the cell's font size. The measure is deliberately
 * conservative — it never fits more on a line than Word with 仿宋_GB2312 or LibreOffice with its
 * stand-in (Noto Serif CJK) would — so a page we fill never overflows in either.
 *
 * - Full-width characters (CJK, full-width punctuation) are 1 em in every CJK face.
 * - ASCII is half-width in 仿宋_GB2312 but proportional in Noto Serif CJK's Latin: counted at
 *   0.6 em, capitals 0.8 (measured in LibreOffice: digits 0.56, NGO 0.77), m w M W % @ & 1 em.
 * - Word and LibreOffice add about a quarter em between Chinese and Latin or digits (autospace):
 *   counted at 0.3 em per change of script.
 * - Latin words and numbers do not break; no line starts with closing punctuation (，。、）…) or
 *   ends with an opening one (（《“…): the renderers' line-breaking rules (kinsoku), which can only
 *   push characters down, so we push them down too.
 *
 * Every function is linear in the length of its text.
 */

const WIDE_ASCII = new Set([...'mwMW@%&']);
const NARROW_ASCII = new Set([..."il.,:;!|'`"]);

/** Width of one character in ems. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0)!;
  if (code >= 0x80) return 1;
  if (char === ' ') return 0.35;
  if (WIDE_ASCII.has(char)) return 1;
  if (NARROW_ASCII.has(char)) return 0.4;
  if (char >= 'A' && char <= 'Z') return 0.8;
  return 0.6;
}

/** Extra width where Chinese meets Latin or digits (Word's and LibreOffice's autospace). */
export const SCRIPT_GAP = 0.3;

/** Characters that may not begin a line. */
const NO_LINE_START = new Set([...'，。、；：？！）》」』〕】〉”’…—·%‰,.;:?!)]}～・﹚﹜']);
/** Characters that may not end a line. */
const NO_LINE_END = new Set([...'（《「『〔【〈“‘([{﹙﹛']);

const isAsciiWordChar = (char: string) => char.charCodeAt(0) < 0x80 && char !== ' ';

/** Tokens that never break inside: an ASCII run (word, number, `PM2.5`), or one other character. */
function tokens(text: string): string[] {
  const result: string[] = [];
  let word = '';
  for (const char of text) {
    if (isAsciiWordChar(char)) {
      word += char;
      continue;
    }
    if (word) {
      result.push(word);
      word = '';
    }
    result.push(char);
  }
  if (word) result.push(word);
  return result;
}

const isAsciiToken = (token: string) => token.charCodeAt(0) < 0x80;

function tokenWidth(token: string): number {
  let width = 0;
  for (const char of token) width += charWidth(char);
  return width;
}

/** Width of a one-line text in ems, script gaps included. */
export function textWidth(text: string): number {
  let width = 0;
  let previous: boolean | null = null;
  for (const token of tokens(text)) {
    const ascii = isAsciiToken(token) && token !== ' ';
    if (previous !== null && token !== ' ' && previous !== ascii) width += SCRIPT_GAP;
    if (token !== ' ') previous = ascii;
    width += tokenWidth(token);
  }
  return width;
}

/**
 * One paragraph broken into lines no wider than `width` ems, the way a renderer would at worst.
 * The lines put together are the paragraph (a space at a break ends the line before, uncounted).
 * An empty paragraph is one empty line. A token wider than the line is cut by characters.
 */
export function wrapParagraph(text: string, width: number): string[] {
  const all = tokens(text);
  if (all.length === 0) return [''];
  const lines: string[] = [];
  let line: string[] = [];
  let lineWidth = 0;
  let lastScript: boolean | null = null;

  const flush = (keep: string[]) => {
    lines.push(line.join(''));
    line = [];
    lineWidth = 0;
    lastScript = null;
    for (const token of keep) push(token);
  };
  const widthIn = (token: string) => {
    if (token === ' ') return tokenWidth(token);
    const ascii = isAsciiToken(token);
    return tokenWidth(token) + (lastScript !== null && lastScript !== ascii ? SCRIPT_GAP : 0);
  };
  const push = (token: string) => {
    // A space at a break stays at the end of the line before (the lines put together are the text).
    if (line.length === 0 && token === ' ' && lines.length > 0) {
      lines[lines.length - 1] += token;
      return;
    }
    lineWidth += widthIn(token);
    if (token !== ' ') lastScript = isAsciiToken(token);
    line.push(token);
  };

  for (const token of all) {
    const needed = widthIn(token);
    if (lineWidth + needed <= width || line.length === 0) {
      if (line.length === 0 && tokenWidth(token) > width && token.length > 1) {
        // A Latin run longer than the line: cut it by characters.
        for (const char of token) {
          if (lineWidth + widthIn(char) > width && line.length > 0) flush([]);
          push(char);
        }
        continue;
      }
      push(token);
      continue;
    }
    if (token === ' ') {
      line.push(token); // ends this line, uncounted
      flush([]);
      continue;
    }
    // The token goes to the next line. Closing punctuation may not start it: take the last token
    // down with it. An opening bracket may not end this line: take it down too.
    const carried: string[] = [];
    if (NO_LINE_START.has(token[0]!) && line.length > 1) carried.unshift(line.pop()!);
    while (line.length > 1 && NO_LINE_END.has(line[line.length - 1]!)) carried.unshift(line.pop()!);
    flush(carried);
    if (lineWidth + widthIn(token) > width && line.length > 0 && tokenWidth(token) > width) flush([]);
    push(token);
  }
  if (line.length > 0) lines.push(line.join(''));
  return lines;
}

/** Every line of a multi-line text (paragraphs split by \n), each paragraph wrapped to `width` ems. */
export function wrapText(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, width));
}

/**
 * Names (leaders, units) laid out whole: as many whole names on a line as fit, each followed by
 * the separator but the last. A line never ends inside a name; the renderer gets the breaks from
 * us, since it would break Chinese anywhere. A name wider than the line breaks between its words.
 */
export function layoutNames(names: readonly string[], width: number, separator = '、'): string[] {
  const lines: string[] = [];
  let line = '';
  names.forEach((name, index) => {
    const piece = index < names.length - 1 ? `${name}${separator}` : name;
    if (line !== '' && textWidth(line + piece) > width) {
      lines.push(line);
      line = '';
    }
    if (textWidth(piece) > width) {
      // Wider than the column (the column has a cap): between its words, on lines of its own.
      lines.push(...breakBetweenWords(piece, width));
      return;
    }
    line += piece;
  });
  if (line !== '') lines.push(line);
  return lines;
}

/** The width a name needs on its line: its own, plus the separator after it unless it is the last. */
export function nameWidth(names: readonly string[]): number {
  let widest = 0;
  names.forEach((name, index) => {
    widest = Math.max(widest, textWidth(index < names.length - 1 ? `${name}、` : name));
  });
  return widest;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * A name too wide for its column broken between words only (`省生态文明建设领导小组办公室` →
 * `省生态文明建设` / `领导小组办公室`): the fewest lines, then the most even ones.
 */
export function breakBetweenWords(name: string, width: number): string[] {
  if (textWidth(name) <= width) return [name];
  const words = Array.from(segmenter.segment(name), (segment) => segment.segment);
  const total = textWidth(name);
  const lineCount = Math.max(2, Math.ceil(total / width));
  for (let count = lineCount; count <= words.length; count++) {
    const target = total / count;
    const lines: string[] = [];
    let line = '';
    let remaining = count;
    for (const word of words) {
      const next = line + word;
      const overTarget = textWidth(next) > target + 0.5 && line !== '' && remaining > 1;
      if (textWidth(next) > width || overTarget) {
        lines.push(line);
        remaining--;
        line = word;
      } else {
        line = next;
      }
    }
    lines.push(line);
    if (lines.length <= count && lines.every((l) => textWidth(l) <= width)) return lines;
  }
  return wrapParagraph(name, width);
}
