import type { Kysely } from 'kysely';
import type { OrganisationProfile } from '../../../domain/organisation-profile.ts';
import type { DB } from '../schema.ts';
import type { OrganisationProfileRow } from '../schema-profile.ts';

/** The one profile row's id (the organisation's id once organisations are tenants). */
const PROFILE_ID = 1;

export type StoredProfile = { profile: OrganisationProfile; source: string; updatedAt: string; updatedBy: string };

/** The deployment's organisation profile (migration 018): read, replace, or set only when none is. */
export function createOrganisationProfileRepository(db: Kysely<DB>) {
  function columns(profile: OrganisationProfile, source: string, now: string, by: string) {
    return {
      full_name: profile.fullName,
      office_name: profile.officeName,
      issuer_mark: profile.issuerMark,
      doc_prefixes: JSON.stringify(profile.docPrefixes),
      leader_word: profile.leaderWord,
      unit_words: JSON.stringify(profile.unitWords),
      time_zone: profile.timeZone,
      source,
      updated_at: now,
      updated_by: by,
    };
  }

  return {
    async findProfile(): Promise<StoredProfile | null> {
      const row = await db.selectFrom('organisation_profile').selectAll().where('id', '=', PROFILE_ID).executeTakeFirst();
      return row ? storedProfileOf(row) : null;
    },

    /** Replaces the profile (or sets the first one). */
    async putProfile(profile: OrganisationProfile, source: string, now: string, by: string): Promise<void> {
      const values = columns(profile, source, now, by);
      await db
        .insertInto('organisation_profile')
        .values({ id: PROFILE_ID, ...values })
        .onConflict((conflict) => conflict.column('id').doUpdateSet(values))
        .execute();
    },

    /** Sets the profile only if none is set; true when this call set it (a concurrent setter wins quietly). */
    async insertProfileIfNone(profile: OrganisationProfile, source: string, now: string, by: string): Promise<boolean> {
      const result = await db
        .insertInto('organisation_profile')
        .values({ id: PROFILE_ID, ...columns(profile, source, now, by) })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}

/** JSON columns are written only by this repository; anything else there is corruption, not input. */
function storedProfileOf(row: OrganisationProfileRow): StoredProfile {
  return {
    profile: {
      fullName: row.full_name,
      officeName: row.office_name,
      issuerMark: row.issuer_mark,
      docPrefixes: JSON.parse(row.doc_prefixes) as string[],
      leaderWord: row.leader_word,
      unitWords: JSON.parse(row.unit_words) as string[],
      timeZone: row.time_zone,
    },
    source: row.source,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export type OrganisationProfileRepository = ReturnType<typeof createOrganisationProfileRepository>;
