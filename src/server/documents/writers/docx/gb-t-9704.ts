import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  DocumentGridType,
  Footer,
  HorizontalPositionRelativeFrom,
  LineRuleType,
  PageNumber,
  PageOrientation,
  Paragraph,
  TextRun,
  TextWrappingType,
  VerticalPositionRelativeFrom,
  type IBorderOptions,
  type IParagraphOptions,
  type ISectionPropertiesOptions,
  type IStylesOptions,
} from 'docx';
import { ShapeRun } from 'docx/shapes';
import { invalid } from '../../../../domain/errors.ts';
import { stripControlCharacters } from '../../../../domain/text.ts';

/**
 * The page and type of GB/T 9704-2012 《党政机关公文格式》 as docx options: every figure the
 * Word writers use is named here once, with the clause it comes from (decision 006).
 */

/** Fonts by the names Chinese government machines have installed; Word substitutes when one is missing. */
export const Fonts = {
  /** 正文 (7.3.5): 仿宋_GB2312. */
  fangSong: '仿宋_GB2312',
  /** 发文机关标志, 标题 (7.2.2, 7.3.1): 小标宋. */
  xiaoBiaoSong: '方正小标宋简体',
  /** 第一层结构序数 `一、` and the word 附件 (7.3.5, 8). */
  heiTi: '黑体',
  /** 第二层结构序数 `（一）`. */
  kaiTi: '楷体_GB2312',
  /** 页码 (7.5). */
  songTi: '宋体',
} as const;

/** Chinese font sizes (字号) in docx half-points. */
export const Sizes = {
  /** 小初, 36 pt. */
  xiaoChu: 72,
  /** 2号, 22 pt: the title. */
  erHao: 44,
  /** 3号, 16 pt: the body. */
  sanHao: 32,
  /** 4号, 14 pt: page numbers, 版记. */
  siHao: 28,
  /** 小四, 12 pt. */
  xiaoSi: 24,
  /** 5号, 10.5 pt: the progress table. */
  wuHao: 21,
} as const;

/** The red of 版头 (7.2: 红色): pure red, as the office's templates print it. */
export const RED = 'FF0000';
export const BLACK = '000000';

/** A4, 210 × 297 mm (5.2), in the twips Word itself writes for it. */
export const A4 = { width: 11906, height: 16838 } as const;

/** 版心 156 × 225 mm: margins top 37, bottom 35, left (binding side) 28, right 26 (5.2.2). */
export const PORTRAIT_MARGINS = {
  top: convertMillimetersToTwip(37),
  bottom: convertMillimetersToTwip(35),
  left: convertMillimetersToTwip(28),
  right: convertMillimetersToTwip(26),
} as const;

/**
 * Landscape pages are the portrait sheet turned a quarter clockwise for reading: the binding edge
 * (28 mm) is at the top, the portrait top (37 mm) on the right, its foot (35 mm) on the left.
 */
export const LANDSCAPE_MARGINS = {
  top: convertMillimetersToTwip(28),
  bottom: convertMillimetersToTwip(26),
  left: convertMillimetersToTwip(35),
  right: convertMillimetersToTwip(37),
} as const;

export const PORTRAIT_TEXT_WIDTH = A4.width - PORTRAIT_MARGINS.left - PORTRAIT_MARGINS.right;
export const LANDSCAPE_TEXT_WIDTH = A4.height - LANDSCAPE_MARGINS.left - LANDSCAPE_MARGINS.right;

/** 22 lines a page: 225 mm / 22 = 579 twips (28.95 pt), kept by an exact line height and a line grid (5.2.3). */
export const LINE_PITCH = 579;

/** 28 characters a line: 156 mm / 28 ≈ 15.75 pt, so 3号 (16 pt) characters are drawn 0.25 pt closer (in twips: −5). */
export const BODY_CHARACTER_SPACING = -5;

/** One full-width character of body text, in twips (16 pt − 0.25 pt). */
export const BODY_CHARACTER = 20 * 16 + BODY_CHARACTER_SPACING;

/** Footer distance: the page number's rule sits about 7 mm below the 版心 (7.5). */
const FOOTER_DISTANCE = convertMillimetersToTwip(25);
const HEADER_DISTANCE = convertMillimetersToTwip(15);

export function portraitSection(): ISectionPropertiesOptions {
  return {
    page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: { ...PORTRAIT_MARGINS, header: HEADER_DISTANCE, footer: FOOTER_DISTANCE } },
    grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH },
  };
}

export function landscapeSection(): ISectionPropertiesOptions {
  return {
    // docx swaps width and height for a landscape page: pass the portrait sheet.
    page: { size: { ...A4, orientation: PageOrientation.LANDSCAPE }, margin: { ...LANDSCAPE_MARGINS, header: HEADER_DISTANCE, footer: FOOTER_DISTANCE } },
    // The table sets its own line height; no line grid stretches its rows.
    grid: { type: DocumentGridType.DEFAULT, linePitch: 312 },
  };
}

// Lone surrogates and U+FFFE/U+FFFF are not XML characters either.
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/** Text as written into the file: no control characters (Word pastes leave \v and \f), nothing XML cannot hold, tabs as spaces. */
export function docxText(text: string): string {
  return stripControlCharacters(text).replace(NOT_XML, '').replace(/\t/g, ' ');
}

/** One line of text: line breaks in a title or a name become nothing between Chinese characters, a space elsewhere. */
export function oneLine(text: string): string {
  const parts = docxText(text)
    .split(/\r\n|\r|\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.reduce((line, part) => {
    if (line === '') return part;
    const cjkJoin = line.charCodeAt(line.length - 1) >= 0x80 && part.charCodeAt(0) >= 0x80;
    return cjkJoin ? line + part : `${line} ${part}`;
  }, '');
}

/** The lines of a multi-line text (a table cell, a body paragraph), blank lines dropped. */
export function linesOf(text: string): string[] {
  return docxText(text)
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** `2017-07-31` → `2017年7月31日` (7.3.5: full year, no leading zeros). */
export function chineseDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [month, day] = [Number(match?.[2]), Number(match?.[3])];
  if (!match || month < 1 || month > 12 || day < 1 || day > 31)
    throw invalid('document_date', `通报日期“${docxText(iso)}”不是有效日期，应为 YYYY-MM-DD`, { value: iso });
  return `${match[1]}年${month}月${day}日`;
}

/** Width of a text in body characters: ASCII is half-width, everything else full-width. */
export function widthInCharacters(text: string): number {
  let width = 0;
  for (const char of text) width += char.charCodeAt(0) < 0x80 ? 0.5 : 1;
  return width;
}

export interface RunStyle {
  font: string;
  size: number;
  bold?: boolean;
  color?: string;
  characterSpacing?: number;
  /** Horizontal scale in percent (w:w). */
  scale?: number;
}

export const BODY: RunStyle = { font: Fonts.fangSong, size: Sizes.sanHao, characterSpacing: BODY_CHARACTER_SPACING };

/** A run whose font is named for East Asian and Latin text alike, so digits and Chinese match. */
export function run(text: string, style: RunStyle): TextRun {
  return new TextRun({ text: docxText(text), ...runOptions(style) });
}

export function runOptions(style: RunStyle) {
  return {
    font: { ascii: style.font, hAnsi: style.font, eastAsia: style.font, cs: style.font },
    size: style.size,
    ...(style.bold ? { bold: true } : {}),
    ...(style.color ? { color: style.color } : {}),
    ...(style.characterSpacing ? { characterSpacing: style.characterSpacing } : {}),
    ...(style.scale && style.scale !== 100 ? { scale: style.scale } : {}),
  };
}

/** Paragraph on the body's grid: exact 28.95 pt lines, widow control off (a lone line may stand at a page's foot). */
export function gridParagraph(options: IParagraphOptions): Paragraph {
  return new Paragraph({ widowControl: false, ...options, spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT, ...options.spacing } });
}

/** A paragraph border line (版头's red rule, 版记's rules). Sizes in eighths of a point. */
export function rule(size: number, color: string, space = 1): IBorderOptions {
  return { style: BorderStyle.SINGLE, size, color, space };
}

/** 4号 宋体 page numbers `— 1 —` (7.5). */
const PAGE_NUMBER_RUN: RunStyle = { font: Fonts.songTi, size: Sizes.siHao };
/** One 4号 character, in twips. */
const PAGE_NUMBER_CHARACTER = 20 * 14;

const pageNumberRun = () => new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], ...runOptions(PAGE_NUMBER_RUN) });

/**
 * Page numbers (7.5): 4号 half-width 宋体 digits between one-em dashes, `— 1 —`; odd pages on the
 * right and even pages on the left, each one character in from the edge of the 版心.
 * Needs `evenAndOddHeaderAndFooters` on the document.
 */
export function pageNumberFooters(): { default: Footer; even: Footer } {
  const footer = (side: 'odd' | 'even') =>
    new Footer({
      children: [
        new Paragraph({
          alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          indent: side === 'odd' ? { right: PAGE_NUMBER_CHARACTER } : { left: PAGE_NUMBER_CHARACTER },
          children: [pageNumberRun()],
        }),
      ],
    });
  return { default: footer('odd'), even: footer('even') };
}

const EMU_PER_MM = 36_000;
const PX_PER_MM = 96 / 25.4;

/**
 * Where the landscape page numbers go, in mm from the landscape page's top left. The landscape page
 * is the portrait sheet turned a quarter clockwise, so the portrait foot is its left edge: the number
 * stands in the left margin band with its middle 7 mm outside the 版心 (as on portrait pages, whose
 * number is 7 mm under the 版心), reading top to bottom (upright when the sheet is turned back);
 * odd pages near the bottom (the portrait right side), even pages near the top (the portrait left),
 * one character in from the 版心's edge.
 */
export const LANDSCAPE_PAGE_NUMBER = {
  /** The number's middle, from the left edge: 35 mm margin − 7 mm. */
  centreX: 35 - 7,
  /** The text box's width across the line (its line height and some room). */
  boxWidth: 8,
  /** The text box's length along the line: room for `— 999 —`. */
  boxLength: 40,
  /** The 版心's top and bottom edges, from the top: margins 28 (binding side) and 26 mm. */
  textTop: 28,
  textBottom: 210 - 26,
  /** One 4号 character, 14 pt. */
  inset: (14 * 25.4) / 72,
} as const;

/**
 * Landscape page numbers: a text box anchored to the page in the landscape section's odd and even
 * footers, its text turned a quarter clockwise (DrawingML `vert="vert"`). Word and LibreOffice both
 * place a page-anchored shape of a footer on every page of its section, and evaluate PAGE in it.
 */
export function landscapePageNumberFooters(): { default: Footer; even: Footer } {
  const at = LANDSCAPE_PAGE_NUMBER;
  const footer = (side: 'odd' | 'even') => {
    const top = side === 'odd' ? at.textBottom - at.inset - at.boxLength : at.textTop + at.inset;
    const shape = new ShapeRun({
      type: 'rectangle',
      transformation: { width: Math.round(at.boxWidth * PX_PER_MM), height: Math.round(at.boxLength * PX_PER_MM) },
      fill: 'none',
      line: 'none',
      altText: { name: side === 'odd' ? '页码（单页）' : '页码（双页）' },
      floating: {
        horizontalPosition: { relative: HorizontalPositionRelativeFrom.PAGE, offset: Math.round((at.centreX - at.boxWidth / 2) * EMU_PER_MM) },
        verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: Math.round(top * EMU_PER_MM) },
        wrap: { type: TextWrappingType.NONE },
        allowOverlap: true,
        lockAnchor: true,
      },
      textOptions: { direction: 'topToBottom', verticalAlignment: 'center', margins: { top: 0, right: 0, bottom: 0, left: 0 }, wrap: false },
      children: [
        new Paragraph({
          // Along a top-to-bottom line, the start is the top: odd pages' numbers end at the box's foot.
          alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          spacing: { before: 0, after: 0 },
          children: [pageNumberRun()],
        }),
      ],
    });
    return new Footer({ children: [new Paragraph({ spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT }, children: [shape] })] });
  };
  return { default: footer('odd'), even: footer('even') };
}

/** The paragraph style of titles (7.3.1): it must not snap to the line grid (decision 022). */
export const TITLE_STYLE = 'GbTitle';
/** Styles whose paragraphs do not snap to the line grid (written by word-xml.ts). */
export const NO_GRID_STYLES = [TITLE_STYLE] as const;

/** The title's type: 2号 小标宋 (7.3.1). */
export const TITLE_RUN: RunStyle = { font: Fonts.xiaoBiaoSong, size: Sizes.erHao };

/**
 * Document defaults: body font and size, Chinese language; and the title style. Widow control is
 * turned off on each paragraph (docx has no default for it); automatic spacing between Chinese and
 * digits is turned off in the defaults by word-xml.ts.
 */
export function documentStyles(): IStylesOptions {
  return {
    default: {
      document: {
        // No character spacing here: only body runs are drawn closer, not the table or the page numbers.
        run: { ...runOptions({ font: BODY.font, size: BODY.size }), language: { eastAsia: 'zh-CN' } },
      },
    },
    paragraphStyles: [
      {
        id: TITLE_STYLE,
        name: '公文标题',
        basedOn: 'Normal',
        quickFormat: true,
        run: runOptions(TITLE_RUN),
        paragraph: { alignment: AlignmentType.CENTER, spacing: { line: LINE_PITCH, lineRule: LineRuleType.EXACT } },
      },
    ],
  };
}

// ---- title lines (7.3.1) ---------------------------------------------------------------------

/** Punctuation that may not begin a line (it closes or follows what comes before). */
const CLOSING = /^[》〉」』）)\]】〕｝}”’、，。：；！？,.:;!?%％·…—]+$/u;
/** Punctuation that may not end a line (it opens what comes after). */
const OPENING = /^[《〈「『（([【〔｛{“‘]+$/u;
const OPENS = new Set(['《', '〈', '「', '『', '（', '(', '【', '〔', '“']);
const CLOSES = new Set(['》', '〉', '」', '』', '）', ')', '】', '〕', '”']);

interface TitleAtom {
  text: string;
  width: number;
  /** Cost of a line break before this atom. */
  breakCost: number;
}

/** Particles that belong to the word before them: a line does not begin with 的. */
const PARTICLE = /^[的之]$/u;

const isCjkWord = (segment: string) => /^\p{Script=Han}+$/u.test(segment);

/**
 * A title cut into the pieces a line may break between: Chinese words as `Intl.Segmenter` finds
 * them, with closing punctuation held to the word before and opening punctuation to the word
 * after, and a number held to the 年/月/日 after it. Each break has a cost: inside a 《…》 or 〈…〉
 * name (more, the deeper), and next to a one-character word (a suffix such as 室, 委, 厅 is part
 * of the name before it).
 */
function titleAtoms(text: string): TitleAtom[] {
  const segments = [...new Intl.Segmenter('zh', { granularity: 'word' }).segment(text)].map((part) => part.segment).filter((part) => part.trim() !== '');
  const atoms: { text: string; depth: number; first: string; last: string }[] = [];
  let depth = 0;
  let glueNext = false;
  for (const segment of segments) {
    const depthBefore = depth;
    for (const char of segment) {
      if (OPENS.has(char)) depth += 1;
      else if (CLOSES.has(char)) depth = Math.max(0, depth - 1);
    }
    const previous = atoms.at(-1);
    const glue = previous && (glueNext || CLOSING.test(segment) || PARTICLE.test(segment) || (/^\d+$/.test(previous.last) && /^[年月日号期]/.test(segment)));
    if (previous && glue) {
      previous.text += segment;
      previous.last = segment;
    } else {
      atoms.push({ text: segment, depth: depthBefore, first: segment, last: segment });
    }
    glueNext = OPENING.test(segment);
  }
  return atoms.map((atom, index) => {
    const before = atoms[index - 1];
    const short = (segment: string | undefined) => segment !== undefined && isCjkWord(segment) && segment.length === 1;
    const breakCost = index === 0 ? 0 : 60 * atom.depth + (short(before?.last) || short(atom.first) ? 40 : 0);
    return { text: atom.text, width: widthInCharacters(atom.text), breakCost };
  });
}

/**
 * A title (7.3.1) cut into lines of at most `maxCharacters` characters: as few lines as fit, broken
 * only between words, never before closing or after opening punctuation, inside 《…》 only when a
 * name is longer than a line; shaped as GB/T 9704 asks (梯形 or 菱形: the lengths rise, then fall,
 * never the other way round), as even as the words allow. A word longer than a line is cut.
 */
export function titleLines(text: string, maxCharacters: number): string[] {
  const title = oneLine(text);
  if (widthInCharacters(title) <= maxCharacters) return title === '' ? [] : [title];
  let atoms = titleAtoms(title);
  // A word wider than the line is cut into characters (no better break exists).
  if (atoms.some((atom) => atom.width > maxCharacters))
    atoms = atoms.flatMap((atom) =>
      atom.width <= maxCharacters
        ? [atom]
        : [...atom.text].map((char, index) => ({ text: char, width: widthInCharacters(char), breakCost: index === 0 ? atom.breakCost : 100 })),
    );
  const n = atoms.length;
  const starts = [0];
  for (const atom of atoms) starts.push(starts.at(-1)! + atom.width);
  const width = (from: number, to: number) => starts[to]! - starts[from]!;
  // As few lines as fit: the greedy count.
  let count = 1;
  for (let i = 0, line = 0; i < n; i += 1) {
    if (line + atoms[i]!.width > maxCharacters) {
      count += 1;
      line = 0;
    }
    line += atoms[i]!.width;
  }
  if (n > 200) return greedyLines(atoms, maxCharacters);
  // Dynamic programme over (line, its start, its end, rising or falling): cost of the breaks plus
  // the squared differences of neighbouring lines' lengths; a line may not be longer than both neighbours' lower.
  const TOLERANCE = 1;
  type State = { cost: number; previous: string | null; from: number; to: number };
  let layer = new Map<string, State>();
  for (let to = 1; to <= n && width(0, to) <= maxCharacters; to += 1)
    for (const falling of [false, true]) layer.set(`0:${to}:${falling}`, { cost: 0, previous: null, from: 0, to });
  const history: Map<string, State>[] = [layer];
  for (let line = 1; line < count; line += 1) {
    const next = new Map<string, State>();
    for (const [key, state] of layer) {
      const falling = key.endsWith('true');
      const length = width(state.from, state.to);
      for (let to = state.to + 1; to <= n && width(state.to, to) <= maxCharacters; to += 1) {
        if (line === count - 1 && to !== n) continue;
        const nextLength = width(state.to, to);
        const rises = nextLength > length + TOLERANCE;
        const falls = nextLength < length - TOLERANCE;
        if (falling && rises) continue;
        const nextFalling = falling || falls;
        const cost = state.cost + atoms[state.to]!.breakCost + (nextLength - length) ** 2;
        const nextKey = `${state.to}:${to}:${nextFalling}`;
        const known = next.get(nextKey);
        if (!known || cost < known.cost) next.set(nextKey, { cost, previous: key, from: state.to, to });
      }
    }
    if (next.size === 0) return greedyLines(atoms, maxCharacters);
    history.push(next);
    layer = next;
  }
  let best: [string, State] | undefined;
  for (const entry of layer) if (entry[1].to === n && (!best || entry[1].cost < best[1].cost)) best = entry;
  if (!best) return greedyLines(atoms, maxCharacters);
  const lines: string[] = [];
  let key: string | null = best[0];
  for (let line = history.length - 1; line >= 0 && key !== null; line -= 1) {
    const state: State = history[line]!.get(key)!;
    lines.unshift(
      atoms
        .slice(state.from, state.to)
        .map((atom) => atom.text)
        .join(''),
    );
    key = state.previous;
  }
  return lines;
}

function greedyLines(atoms: TitleAtom[], maxCharacters: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const atom of atoms) {
    if (line !== '' && widthInCharacters(line) + atom.width > maxCharacters) {
      lines.push(line);
      line = '';
    }
    line += atom.text;
  }
  if (line !== '') lines.push(line);
  return lines;
}
