import type { OrganisationProfile, OrganisationWords } from '../organisation-profile.ts';

/**
 * GET /api/organisation-profile: the deployment's organisation, or null before anyone set it
 * (a new round's notice is then neutral and the notice page asks for it). `timeZone` is the one
 * in force: the profile's, else the configured DIAODU_TIME_ZONE.
 */
export type OrganisationProfileView = {
  profile: OrganisationProfile | null;
  timeZone: string;
  /** admin | cli | import | demo; null when not set. */
  source: string | null;
  updatedAt: string | null;
  /** Display name (张敏) or 系统（命令行）. */
  updatedBy: string | null;
  /** The words labels and tables use (wordsOf): the profile's, else neutral (领导, 单位). */
  words: OrganisationWords;
};
