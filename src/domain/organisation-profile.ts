import { NoticeLimits } from './limits.ts';
import { parseDocNumber } from './notice.ts';

/**
 * The deployment's organisation (issue 14, decision 027): who the office is, so a new round's
 * notice is written in its name and not in the seed's. One row today; when organisations become
 * tenants the row gains an organisation id and nothing here changes shape.
 */
export type OrganisationProfile = {
  /** The organisation's full name, e.g. “某某省生态环境厅”. */
  fullName: string;
  /** The office that runs the dispatch, e.g. “某某省生态环境厅办公室”: the notice's 落款 and 印发机关. */
  officeName: string;
  /** 发文机关标志: the notice's heading (often the office's name, sometimes with 文件). */
  issuerMark: string;
  /** 机关代字 of the office's document numbers, the usual one first (e.g. “某环办发”). */
  docPrefixes: string[];
  /** What the organisation calls its leaders: 厅领导, 局领导, 委领导 or 领导. */
  leaderWord: string;
  /** What it calls its units, the usual first: 处, 科, 室, 中心 … */
  unitWords: string[];
  /** IANA time zone; null = the configured DIAODU_TIME_ZONE. */
  timeZone: string | null;
};

export const LEADER_WORDS = ['厅领导', '局领导', '委领导', '领导'] as const;

export const ProfileLimits = {
  fullName: { max: 100 },
  officeName: { max: 100 },
  issuerMark: { max: 100 },
  /** The same limit as a notice's 机关代字: a prefix read from an imported number is never cut. */
  docPrefix: NoticeLimits.docPrefix,
  docPrefixes: { max: 10 },
  unitWord: { max: 10 },
  unitWords: { max: 10 },
} as const;

/** The prefix the office's next number is suggested in; '' when nothing is known. */
export function usualDocPrefix(profile: OrganisationProfile | null): string {
  return profile?.docPrefixes[0] ?? '';
}

/** `处（室）` from 处, 室; `科` from 科 alone; '' for none. */
export function unitPhrase(unitWords: readonly string[]): string {
  const [first, second] = unitWords;
  if (!first) return '';
  return second ? `${first}（${second}）` : first;
}

/** `厅` from 厅领导, '' from 领导: the word the organisation calls itself by inside its notices. */
export function selfWord(profile: Pick<OrganisationProfile, 'leaderWord'>): string {
  return profile.leaderWord.replace(/领导$/, '');
}

/**
 * A profile read off an imported notice, for a deployment that has none yet: its heading is the
 * 发文机关标志, its 落款 the office, the office without 办公室 the organisation, the number's 机关代字
 * the prefix; the leader and unit words follow the organisation's last character (厅 → 厅领导,
 * 处/室; 局 → 局领导, 科/室; 委 → 委领导, 处/室; otherwise 领导, 处/室). Null when the notice
 * names no office at all.
 */
export function profileFromNotice(notice: { issuingOffice: string | null; issuer: string | null; docNumber: string | null }): OrganisationProfile | null {
  const issuerMark = (notice.issuingOffice ?? '').trim().replace(/文件$/, '');
  const officeName = (notice.issuer ?? '').trim() || issuerMark;
  if (!officeName) return null;
  const fullName = officeName.replace(/办公室$/, '') || officeName;
  const last = fullName.slice(-1);
  const leaderWord = last === '厅' ? '厅领导' : last === '局' ? '局领导' : last === '委' ? '委领导' : '领导';
  const prefix = notice.docNumber ? parseDocNumber(notice.docNumber)?.prefix : undefined;
  return {
    fullName: fullName.slice(0, ProfileLimits.fullName.max),
    officeName: officeName.slice(0, ProfileLimits.officeName.max),
    issuerMark: (issuerMark || officeName).slice(0, ProfileLimits.issuerMark.max),
    docPrefixes: prefix ? [prefix.slice(0, ProfileLimits.docPrefix.max)] : [],
    leaderWord,
    unitWords: last === '局' ? ['科', '室'] : ['处', '室'],
    timeZone: null,
  };
}

/**
 * The words labels, pages and tables use for the organisation's leaders and units (issue 14):
 * the profile's, else neutral ones. `leader` 厅领导 / 局领导 / 委领导 / 领导; `unit` 处室 / 科室 / 室 /
 * 中心 / 单位; the progress table's columns `leadersColumn` (牵头厅领导) and `unitsColumn`.
 */
export type OrganisationWords = {
  leader: string;
  unit: string;
  leadersColumn: string;
  unitsColumn: string;
};

/** Where no profile is set: nobody's department. */
export const NEUTRAL_WORDS: OrganisationWords = { leader: '领导', unit: '单位', leadersColumn: '牵头领导', unitsColumn: '责任单位' };

/**
 * `处室` from 处, 室 (and from 处 alone), `科室` from 科, `室` from 室, `中心` from 中心: what one
 * calls a unit in a label (处室负责人).
 */
export function unitWordOf(unitWords: readonly string[]): string {
  const first = unitWords[0];
  if (!first) return NEUTRAL_WORDS.unit;
  return first === '处' || first === '科' ? `${first}室` : first;
}

/**
 * The organisation's words. The progress table's unit column is 责任部门 where the units are
 * 处室 — a department's table (the seed's) lists its 处室, its 直属单位 and the cities there alike —,
 * 责任科室 in a bureau's, and 责任单位 for any other unit word (室, 中心 …): a column name the
 * table reader knows (plan-table.reader.ts), so every table we write imports back.
 */
export function wordsOf(profile: Pick<OrganisationProfile, 'leaderWord' | 'unitWords'> | null): OrganisationWords {
  if (!profile) return NEUTRAL_WORDS;
  const leader = profile.leaderWord.trim() || NEUTRAL_WORDS.leader;
  const unit = unitWordOf(profile.unitWords);
  return { leader, unit, leadersColumn: `牵头${leader}`, unitsColumn: unit === '处室' ? '责任部门' : unit === '科室' ? '责任科室' : '责任单位' };
}
