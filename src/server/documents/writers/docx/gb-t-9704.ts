import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  DocumentGridType,
  Footer,
  LineRuleType,
  PageNumber,
  PageOrientation,
  Paragraph,
  TextRun,
  type IBorderOptions,
  type IParagraphOptions,
  type ISectionPropertiesOptions,
  type IStylesOptions,
} from 'docx';
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

/** The red of 版头 (GB/T 9704 says red; C00000 is the customary dark red). */
export const RED = 'C00000';
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

/**
 * Page numbers (7.5): 4号 half-width 宋体 digits between one-em dashes, `— 1 —`; odd pages on the
 * right and even pages on the left, each one character in from the edge of the 版心.
 * Needs `evenAndOddHeaderAndFooters` on the document.
 */
export function pageNumberFooters(): { default: Footer; even: Footer } {
  const oneCharacter = 20 * 14;
  const footer = (side: 'odd' | 'even') =>
    new Footer({
      children: [
        new Paragraph({
          alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
          indent: side === 'odd' ? { right: oneCharacter } : { left: oneCharacter },
          children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], ...runOptions({ font: Fonts.songTi, size: Sizes.siHao }) })],
        }),
      ],
    });
  return { default: footer('odd'), even: footer('even') };
}

/** Document defaults: body font and size, Chinese language. Widow control is turned off on each paragraph (docx has no default for it). */
export function documentStyles(): IStylesOptions {
  return {
    default: {
      document: {
        // No character spacing here: only body runs are drawn closer, not the table or the page numbers.
        run: { ...runOptions({ font: BODY.font, size: BODY.size }), language: { eastAsia: 'zh-CN' } },
      },
    },
  };
}
