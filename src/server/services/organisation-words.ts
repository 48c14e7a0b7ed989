import { wordsOf, type OrganisationWords } from '../../domain/organisation-profile.ts';
import type { Repositories } from '../db/repositories/index.ts';

/**
 * What services read of the organisation profile inside their own transaction (issue 14): its
 * words for labels and table columns, and its clock for deadlines, reminders and dates in exports.
 */

/** The organisation's words (wordsOf): the profile's, else neutral (领导, 单位). */
export async function wordsIn(repositories: Repositories): Promise<OrganisationWords> {
  return wordsOf((await repositories.organisationProfile.findProfile())?.profile ?? null);
}

/** The department's clock: the profile's time zone when it has one, else the configured DIAODU_TIME_ZONE. */
export async function timeZoneIn(repositories: Repositories, configured: string): Promise<string> {
  return (await repositories.organisationProfile.findProfile())?.profile.timeZone ?? configured;
}
