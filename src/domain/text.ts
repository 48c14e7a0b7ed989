/** Text repairs shared by every reader and writer. */

const CJK = '\\u2E80-\\u2FFF\\u3000-\\u303F\\u3040-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF“”‘’《》〈〉';
const SPACE_NEXT_TO_CJK = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, 'g');

/** Word pastes and PDF extraction leave these; OOXML refuses most of them. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\u2028\u2029\uFEFF]/g;

/** Tags a converter left in cell text. Chinese titles in half-width angle brackets (<清洁生产审核办法>) are kept. */
const HTML_TAG = /<\/?(?:p|br|span|div|b|i|u|strong|em|font|sup|sub|td|tr|table|li|ul|ol)\b[^>]*>/gi;

export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

export function stripHtmlTags(text: string): string {
  return text.replace(HTML_TAG, ' ');
}

/** U+3000, NBSP and tabs become plain spaces; runs collapse; ends trimmed. */
export function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\u00A0\u3000]+/g, ' ').trim();
}

/** Cell text as stored: no tags, no control characters, no stray whitespace. Inner spaces are kept (they are meaningful in prose). */
export function cleanCellText(text: string): string {
  return normaliseWhitespace(stripHtmlTags(stripControlCharacters(text)));
}

/** For names, labels and titles: `生 态 环 境 厅` → `生态环境厅`, `《…》 2017 年` → `《…》2017年`. */
export function squeezeCjkSpaces(text: string): string {
  return normaliseWhitespace(text).replace(SPACE_NEXT_TO_CJK, '');
}

/** Full-width brackets and colons to one form, for matching only (never for stored text). */
export function foldWidth(text: string): string {
  return text.replace(/[（]/g, '(').replace(/[）]/g, ')').replace(/[：]/g, ':').replace(/[，]/g, ',');
}

/** A name with no spaces and no trailing U+3000, used as the key of units, leaders and departments. */
export function normaliseName(text: string): string {
  return squeezeCjkSpaces(stripControlCharacters(text)).replace(/\s+/g, '');
}
