import { actorLabel, type Actor } from '../../domain/actor.ts';
import type { OrganisationProfileView } from '../../domain/api/organisation-profile.ts';
import { isTimeZone } from '../../domain/dates.ts';
import { invalid } from '../../domain/errors.ts';
import { LEADER_WORDS, profileFromNotice, ProfileLimits, wordsOf, type OrganisationProfile } from '../../domain/organisation-profile.ts';
import type { Notice } from '../../domain/plan-document.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertSystemAdmin } from '../policies/admin.policy.ts';
import { displayNameOf } from './people.ts';
import { audit } from './round.service.ts';

type OrganisationProfileDeps = { database: Database; timeZone: string; now?: () => Date };

/** What a setter sends: the profile, the time zone optional (null = the configured one). */
type ProfileInput = Omit<OrganisationProfile, 'timeZone'> & { timeZone?: string | null };

/**
 * The organisation profile (decision 027): every signed-in person reads it (notices, forms and
 * pages speak in its words); only the system admin — or the operator through `diaodu profile` —
 * sets it, audited with the old and new values. A plan import sets it from the imported notice
 * when none is set (adoptProfileFromNoticeIn).
 */
export function createOrganisationProfileService(deps: OrganisationProfileDeps) {
  const { database } = deps;
  const clock = deps.now ?? (() => new Date());

  async function viewIn(repositories: Repositories): Promise<OrganisationProfileView> {
    const stored = await repositories.organisationProfile.findProfile();
    if (!stored) return { profile: null, timeZone: deps.timeZone, source: null, updatedAt: null, updatedBy: null, words: wordsOf(null) };
    return {
      profile: stored.profile,
      words: wordsOf(stored.profile),
      timeZone: stored.profile.timeZone ?? deps.timeZone,
      source: stored.source,
      updatedAt: stored.updatedAt,
      updatedBy: await displayNameOf(repositories, stored.updatedBy),
    };
  }

  /** Anyone signed in (the HTTP layer has checked the session): the profile is no secret. */
  async function view(_actor: Actor): Promise<OrganisationProfileView> {
    return inReadTransaction(database, viewIn);
  }

  /** `demo`: the demo data's setting (so the page can say the profile is the seed's, not the deployment's). */
  async function update(actor: Actor, input: ProfileInput, options: { demo?: boolean } = {}): Promise<OrganisationProfileView> {
    assertSystemAdmin(actor, '设置单位信息');
    const profile = cleanProfile(input);
    const at = clock().toISOString();
    return inTransaction(database, async (repositories) => {
      const before = (await repositories.organisationProfile.findProfile())?.profile ?? null;
      const source = options.demo ? 'demo' : actor.kind === 'user' ? 'admin' : 'cli';
      await repositories.organisationProfile.putProfile(profile, source, at, actorLabel(actor));
      await audit(repositories, actor, at, {
        action: 'settings.organisation_profile',
        objectType: 'settings',
        objectId: 'organisation_profile',
        detail: { before, after: profile },
      });
      return viewIn(repositories);
    });
  }

  return { view, update };
}

export type OrganisationProfileService = ReturnType<typeof createOrganisationProfileService>;

/**
 * In an import's transaction: when no profile is set, the imported notice's office becomes it
 * (profileFromNotice), audited as the importer's change. Returns true when it did.
 */
export async function adoptProfileFromNoticeIn(
  repositories: Repositories,
  actor: Actor,
  notice: Pick<Notice, 'issuingOffice' | 'issuer' | 'docNumber'>,
  at: string,
): Promise<boolean> {
  const profile = profileFromNotice(notice);
  if (!profile) return false;
  if (!(await repositories.organisationProfile.insertProfileIfNone(profile, 'import', at, actorLabel(actor)))) return false;
  await audit(repositories, actor, at, {
    action: 'settings.organisation_profile',
    objectType: 'settings',
    objectId: 'organisation_profile',
    detail: { before: null, after: profile, from: 'import' },
  });
  return true;
}

/** Trimmed, without control characters, each rule broken named in one Chinese sentence. */
function cleanProfile(input: ProfileInput): OrganisationProfile {
  const problems: { field: string; message: string }[] = [];
  const text = (field: 'fullName' | 'officeName' | 'issuerMark', label: string): string => {
    const value = typeof input[field] === 'string' ? stripControlCharacters(input[field]).trim() : '';
    const { max } = ProfileLimits[field];
    if (value === '') problems.push({ field, message: `请填写${label}` });
    else if ([...value].length > max) problems.push({ field, message: `${label}不能超过 ${max} 个字` });
    return value;
  };
  const list = (field: 'docPrefixes' | 'unitWords', label: string, itemMax: number, listMax: number, bracketsForbidden: boolean): string[] => {
    const raw = Array.isArray(input[field]) ? input[field] : [];
    const values = [...new Set(raw.map((item) => (typeof item === 'string' ? stripControlCharacters(item).trim() : '')).filter((item) => item !== ''))];
    if (values.length > listMax) problems.push({ field, message: `${label}最多 ${listMax} 个` });
    for (const value of values) {
      if ([...value].length > itemMax) problems.push({ field, message: `${label}“${value.slice(0, itemMax)}…”不能超过 ${itemMax} 个字` });
      else if (bracketsForbidden && /[〔〕[\]（）()\s]/.test(value)) problems.push({ field, message: `${label}“${value}”不能含括号或空格` });
    }
    return values;
  };
  const fullName = text('fullName', '单位全称');
  const officeName = text('officeName', '办公室名称');
  const issuerMark = text('issuerMark', '发文机关标志');
  const docPrefixes = list('docPrefixes', '机关代字', ProfileLimits.docPrefix.max, ProfileLimits.docPrefixes.max, true);
  const unitWords = list('unitWords', '处室称谓', ProfileLimits.unitWord.max, ProfileLimits.unitWords.max, true);
  if (unitWords.length === 0) problems.push({ field: 'unitWords', message: '请至少填写一个处室称谓，如“处”' });
  const leaderWord = typeof input.leaderWord === 'string' ? input.leaderWord.trim() : '';
  if (!(LEADER_WORDS as readonly string[]).includes(leaderWord))
    problems.push({ field: 'leaderWord', message: `领导称谓应为${LEADER_WORDS.map((w) => `“${w}”`).join('、')}之一` });
  const zone = typeof input.timeZone === 'string' ? input.timeZone.trim() : '';
  if (zone !== '' && !isTimeZone(zone)) problems.push({ field: 'timeZone', message: `时区“${zone.slice(0, 40)}”不是 IANA 时区名称，如 Asia/Shanghai` });
  if (problems.length > 0) throw invalid('organisation_profile_invalid', `单位信息不正确：${problems.map((p) => p.message).join('；')}`, { problems });
  return { fullName, officeName, issuerMark, docPrefixes, leaderWord, unitWords, timeZone: zone === '' ? null : zone };
}
