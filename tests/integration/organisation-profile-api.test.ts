import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import type { OrganisationProfileView } from '../../src/domain/api/organisation-profile.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const bureau = {
  fullName: '某某市生态环境局',
  officeName: '某某市生态环境局办公室',
  issuerMark: '某某市生态环境局办公室',
  docPrefixes: ['某环办'],
  leaderWord: '局领导',
  unitWords: ['科', '室'],
  timeZone: null,
};

async function diaodu(database: TestDatabase, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), env: { DIAODU_DATABASE_URL: database.url }, cwd: root };
  return { code: await main(argv, io), stdout: () => stdout, stderr: () => stderr };
}

forEachEngine('organisation profile API and CLI', (it) => {
  it('everyone signed in reads it; only the system admin sets it; the demo data set the seed’s', async (database) => {
    const server = await createTestServer(database);
    try {
      assert.equal((await server.anonymous().get('/api/organisation-profile')).status, 401);
      for (const user of ['office', 'leader', 'huanping', 'sysadmin', 'auditor']) {
        const read = await (await server.as(user)).get('/api/organisation-profile');
        assert.equal(read.status, 200, `${user}: ${read.text}`);
        const view = read.body as OrganisationProfileView;
        assert.equal(view.profile?.fullName, '四川省环境保护厅', 'the demo data set the seed’s profile');
        assert.equal(view.source, 'demo');
      }
      for (const user of ['office', 'leader', 'huanping', 'secadmin', 'auditor']) {
        const refused = await (await server.as(user)).put('/api/admin/organisation-profile', bureau);
        assert.equal(refused.status, 403, `${user}: ${refused.text}`);
      }
      const sysadmin = await server.as('sysadmin');
      const set = await sysadmin.put('/api/admin/organisation-profile', bureau);
      assert.equal(set.status, 200, set.text);
      assert.equal(set.body.profile.fullName, '某某市生态环境局');
      assert.equal(set.body.source, 'admin');
      const wrong = await sysadmin.put('/api/admin/organisation-profile', { ...bureau, leaderWord: '老板' });
      assert.equal(wrong.status, 422, wrong.text);
      assert.equal(wrong.body.error.code, 'organisation_profile_invalid');
      assert.match(wrong.body.error.message, /领导称谓应为/);
      assert.equal(
        (await sysadmin.put('/api/admin/organisation-profile', { fullName: 'x' })).status,
        400,
        'a body without the fields is refused by the schema',
      );
    } finally {
      await server.close();
    }
  });

  it('diaodu profile set / show: the operator sets it, keeping what is not given', async (database) => {
    const first = await diaodu(
      database,
      'profile',
      'set',
      '--full-name',
      '某某市生态环境局',
      '--office',
      '某某市生态环境局办公室',
      '--prefixes',
      '某环办,某环函',
      '--leader-word',
      '局领导',
      '--unit-words',
      '科,室',
    );
    assert.equal(first.code, 0, first.stderr());
    assert.match(first.stdout(), /机关代字：某环办、某环函/);
    assert.match(first.stdout(), /发文机关标志：某某市生态环境局办公室/, 'the heading defaults to the office');
    const changed = await diaodu(database, 'profile', 'set', '--time-zone', 'Asia/Urumqi');
    assert.equal(changed.code, 0, changed.stderr());
    const shown = await diaodu(database, 'profile', 'show');
    assert.match(shown.stdout(), /单位全称：某某市生态环境局\n/);
    assert.match(shown.stdout(), /时区：Asia\/Urumqi\n/);
    const wrong = await diaodu(database, 'profile', 'set', '--leader-word', '老板');
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr(), /领导称谓应为/);
  });
});
