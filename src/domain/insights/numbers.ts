import { parseChineseNumeral } from '../chinese-numerals.ts';

/**
 * Numbers as the units write them: Arabic figures (774, 885.92, 5.16 万), Chinese numerals used as
 * counts (六个, 两起), percentages (72.4%, 72.4 ％) and the precision a figure was written to.
 */

/** Classifiers a count or a total is written with (个, 家 …), optionally after 万/亿. */
export const MEASURE_WORDS =
  '个|家|项|件|座|所|条|台|辆|套|处|名|人|户|份|批|村|宗|栋|株|只|头|口|起|次|公里|千米|km|平方公里|亩|吨|元|市|县|区|类|级|种|位|部|篇|场|期|轮|天';

/** A figure with its measure word: `774 个`, `5.16 万辆`, `1631余家` (approximate). */
export const FIGURE_WITH_MEASURE = new RegExp(`(\\d+(?:\\.\\d+)?)\\s*(余|多)?\\s*((?:万|亿)?(?:${MEASURE_WORDS}))`, 'g');

/** The digits after the decimal point as written (`72.4` → 1, `35` → 0). */
export function decimalsOf(raw: string): number {
  const dot = raw.indexOf('.');
  return dot < 0 ? 0 : raw.length - dot - 1;
}

/** An Arabic figure or a Chinese numeral (`六`, `十二`, `两`) as a number; null when neither. */
export function readCount(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw);
  return parseChineseNumeral(raw);
}

/**
 * True when `computed` rounds to `stated` at the precision `stated` was written to. Rounding
 * half up and half to even are both accepted (a figure exactly on the half is within half a unit
 * of the last place either way).
 */
export function roundsTo(computed: number, stated: number, decimals: number): boolean {
  const half = 0.5 * 10 ** -decimals;
  return Math.abs(computed - stated) <= half + 1e-9;
}

/** `72.4138` at one digit more than `72.4` → `72.41`. */
export function oneDigitMore(value: number, statedDecimals: number): string {
  return value.toFixed(statedDecimals + 1);
}

/** A sum as a figure: integers stay integers, otherwise the parts' precision. */
export function formatSum(value: number, decimals: number): string {
  return decimals === 0 ? String(Math.round(value)) : value.toFixed(decimals);
}
