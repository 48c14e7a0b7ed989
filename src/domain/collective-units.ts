/**
 * Collective "units": names a plan puts among its responsible units that stand for many units
 * at once (各处(室), 直属单位, 厅机关各处（室）, 各处(室)、直属单位 …). Nobody logs in for them, so
 * they are never chased as units: the office maps each to the units it stands for, or answers
 * it itself. A name is collective when, after brackets and blanks are evened out, it is made
 * only of these phrases (so 办公室 or 监察总队 never are).
 */
const COLLECTIVE_PARTS = [
  /^(厅机关)?各(相关|有关)?处室$/,
  /^(厅机关)?各(相关|有关)?处$/,
  /^(厅)?(各)?(相关|有关)?直属(各)?单位$/,
  /^(厅)?机关各处室$/,
  /^各(相关|有关)?单位$/,
  /^各(相关|有关)?部门$/,
  /^(各)?(相关|有关)处室$/,
];

/** True for a name like 各处(室), 直属单位, 厅机关各处（室）or 各处(室)、直属单位. */
export function isCollectiveUnitName(name: string): boolean {
  const even = name
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[()（）]/g, '');
  if (!even) return false;
  const parts = even.split(/[、,，;；和及与]/).filter((part) => part.length > 0);
  return parts.length > 0 && parts.every((part) => COLLECTIVE_PARTS.some((pattern) => pattern.test(part)));
}
