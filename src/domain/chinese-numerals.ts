const DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * Reads a Chinese numeral below 1,000 as plan documents write chapter and section numbers
 * (一 → 1, 十四 → 14, 三十四 → 34, 一百零二 → 102). Returns null for anything else.
 */
export function parseChineseNumeral(input: string): number | null {
  const text = input.replace(/\s+/g, '');
  if (!/^[〇零一二两三四五六七八九十百]+$/.test(text)) return null;
  let total = 0;
  let digit: number | null = null;
  for (const char of text) {
    if (char === '百' || char === '十') {
      const unit = char === '百' ? 100 : 10;
      total += (digit ?? 1) * unit;
      digit = null;
    } else {
      const value = DIGITS[char];
      if (value === undefined) return null;
      if (digit !== null && digit !== 0) return null; // 二三 is not a number
      digit = value;
    }
  }
  return total + (digit ?? 0);
}

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Writes 1–999 the way plan documents do (14 → 十四, 34 → 三十四). */
export function toChineseNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= 1000) throw new RangeError(`no Chinese numeral for ${value}`);
  if (value < 10) return NUMERALS[value]!;
  const hundreds = Math.floor(value / 100);
  const tens = Math.floor((value % 100) / 10);
  const ones = value % 10;
  let out = '';
  if (hundreds) out += NUMERALS[hundreds] + '百';
  if (tens) out += (tens === 1 && !hundreds ? '' : NUMERALS[tens]) + '十';
  else if (hundreds && ones) out += '零';
  if (ones) out += NUMERALS[ones];
  return out;
}
