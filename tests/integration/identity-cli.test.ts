import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function diaodu(database: TestDatabase, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), env: { DIAODU_DATABASE_URL: database.url }, cwd: root };
  return { code: await main(argv, io), stdout: () => stdout, stderr: () => stderr };
}

forEachEngine('diaodu user: the first admin comes from the CLI and must change its password, then enrol TOTP', (it) => {
  it('adds an admin with a temporary password; its first session changes it, then enrols; unlock from the CLI', async (database) => {
    const added = await diaodu(database, 'user', 'add', '--username', 'ops-admin', '--name', '运维管理员', '--role', 'system_admin');
    assert.equal(added.code, 0, added.stderr());
    const temporary = /临时密码 temporary password: (\S+)/.exec(added.stdout())?.[1];
    assert.ok(temporary, added.stdout());
    assert.match(added.stdout(), /首次登录须修改密码，并绑定身份验证器/);

    const app = await createTestServer(database, { demoPlan: false });
    try {
      const first = await app.anonymous().post('/api/auth/login', { username: 'ops-admin', password: temporary });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.restriction, 'password_change');
      const admin = await app.as('ops-admin', temporary);
      assert.equal((await admin.get('/api/admin/accounts')).body.error.code, 'password_change_required');
      const changed = await admin.post('/api/auth/password', { currentPassword: temporary, newPassword: 'Ops.Admin-2026!' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.restriction, 'totp_enrolment', 'then the second factor');

      for (let attempt = 0; attempt < 5; attempt += 1) await app.anonymous().post('/api/auth/login', { username: 'huanping', password: `Wrong@${attempt}` });
      assert.ok((await createRepositories(database.db).users.findUserByUsername('huanping'))?.locked_until);
      const unlocked = await diaodu(database, 'user', 'unlock', '--username', 'huanping');
      assert.equal(unlocked.code, 0, unlocked.stderr());
      assert.equal((await createRepositories(database.db).users.findUserByUsername('huanping'))?.locked_until, null);
      const [row] = await createRepositories(database.db).audit.listAuditEvents({ action: 'auth.unlock' });
      assert.equal(row?.actor_name, 'system:cli');
    } finally {
      await app.close();
    }
  });

  it('names what is wrong: unknown role, unknown unit, a taken name, an unknown user', async (database) => {
    assert.equal((await diaodu(database, 'user', 'add', '--username', 'x1', '--name', '某', '--role', 'root')).code, 2);
    const unit = await diaodu(database, 'user', 'add', '--username', 'x2', '--name', '某', '--role', 'reporter', '--unit', '不存在处');
    assert.equal(unit.code, 2);
    assert.match(unit.stderr(), /处室“不存在处”不存在/);
    assert.equal((await diaodu(database, 'user', 'add', '--username', 'x3', '--name', '某', '--role', 'leader')).code, 0);
    const taken = await diaodu(database, 'user', 'add', '--username', 'x3', '--name', '某', '--role', 'leader');
    assert.equal(taken.code, 1);
    assert.match(taken.stderr(), /用户名“x3”已被使用/);
    const nobody = await diaodu(database, 'user', 'unlock', '--username', 'nobody');
    assert.equal(nobody.code, 2);
    assert.match(nobody.stderr(), /用户“nobody”不存在/);
  });
});
