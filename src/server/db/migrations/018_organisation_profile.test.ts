import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { createRepositories } from '../repositories/index.ts';
import { down, up } from './018_organisation_profile.ts';

const profile = {
  fullName: '某某市生态环境局',
  officeName: '某某市生态环境局办公室',
  issuerMark: '某某市生态环境局办公室',
  docPrefixes: ['某环办'],
  leaderWord: '局领导',
  unitWords: ['科', '室'],
  timeZone: null,
};

forEachEngine('migration 018 (organisation profile)', (it) => {
  it('goes down and up again; one row, replaced by a put, kept by an insert-if-none', async (database) => {
    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    assert.ok(!(await tablesHere(db)).some((table) => table.name === 'organisation_profile'));
    await up(db);
    const profiles = createRepositories(database.db).organisationProfile;
    assert.equal(await profiles.findProfile(), null);
    assert.equal(await profiles.insertProfileIfNone(profile, 'import', '2017-10-11T01:00:00.000Z', 'system:test'), true);
    assert.equal(await profiles.insertProfileIfNone({ ...profile, fullName: '别的局' }, 'import', '2017-10-12T01:00:00.000Z', 'system:test'), false);
    assert.equal((await profiles.findProfile())?.profile.fullName, '某某市生态环境局');
    await profiles.putProfile({ ...profile, timeZone: 'Asia/Urumqi' }, 'admin', '2017-10-13T01:00:00.000Z', 'sysadmin');
    const stored = await profiles.findProfile();
    assert.deepEqual(stored, {
      profile: { ...profile, timeZone: 'Asia/Urumqi' },
      source: 'admin',
      updatedAt: '2017-10-13T01:00:00.000Z',
      updatedBy: 'sysadmin',
    });
    assert.equal(
      Number(
        (
          await database.db
            .selectFrom('organisation_profile')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      1,
    );
  });
});
