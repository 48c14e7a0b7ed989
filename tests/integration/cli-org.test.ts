import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';
import { openDatabase, sqlitePath } from '../../src/server/db/database.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

async function diaodu(database: TestDatabase, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), env: { DIAODU_DATABASE_URL: database.url }, cwd: root };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** `diaodu org` (decision 028): the operator creates an organisation, whose store sits beside the home one. */
forEachEngine('diaodu org', (it, engine) => {
  it('adds an organisation with its first system admin (a temporary password printed once) and lists it; refuses a taken code and bad input', async (database) => {
    const added = await diaodu(
      database,
      'org',
      'add',
      '--code',
      'test-town',
      '--name',
      '测试县生态环境局',
      '--admin-username',
      'town-admin',
      '--admin-name',
      '周文',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /已新建组织：测试县生态环境局（代码 test-town）/);
    const password = /临时密码：(\S+)/.exec(added.stdout)?.[1];
    assert.ok(password && password.length >= 14, added.stdout);

    // Its store: a file beside the home file, or a schema beside the home schema.
    if (engine === 'sqlite') {
      const home = sqlitePath(database.url);
      assert.ok(existsSync(path.join(path.dirname(home), 'diaodu.org-2.sqlite')), readdirSync(path.dirname(home)).join(', '));
    } else {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
      const exists = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${`${rows[0]!.schema}_org_2`}`.execute(database.db);
      assert.equal(exists.rows[0]!.n, 1);
    }
    const storeUrl =
      engine === 'sqlite'
        ? `sqlite:${path.join(path.dirname(sqlitePath(database.url)), 'diaodu.org-2.sqlite')}`
        : (() => {
            const url = new URL(database.url);
            url.searchParams.set('options', `${url.searchParams.get('options')}_org_2`);
            return url.toString();
          })();
    const store = await openDatabase(storeUrl);
    try {
      const admin = await createRepositories(store.db).users.findUserByUsername('town-admin');
      assert.equal(admin?.role, 'system_admin');
      assert.equal(Number(admin?.must_change_password), 1);
      assert.equal((await createRepositories(store.db).organisationProfile.findProfile())?.profile.fullName, '测试县生态环境局');
      assert.equal(await createRepositories(database.db).users.findUserByUsername('town-admin'), undefined, 'not in the home store');
    } finally {
      await store.close();
    }

    const listed = await diaodu(database, 'org', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /home\s+本单位\s+主组织/);
    assert.match(listed.stdout, /test-town\s+测试县生态环境局\s+使用中\s+账号 1，方案 0，调度 0/);

    const taken = await diaodu(database, 'org', 'add', '--code', 'test-town', '--name', '另一个', '--admin-username', 'x-admin', '--admin-name', '某');
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /组织代码“test-town”已被使用/);
    const bad = await diaodu(database, 'org', 'add', '--code', 'Bad!', '--name', '某', '--admin-username', 'x-admin', '--admin-name', '某');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /代码须为/);
    const badAdmin = await diaodu(database, 'org', 'add', '--code', 'other-town', '--name', '某县', '--admin-username', 'Bad Name', '--admin-name', '某');
    assert.equal(badAdmin.code, 2);
    // A creation that failed half way leaves no organisation behind.
    assert.doesNotMatch((await diaodu(database, 'org', 'list')).stdout, /other-town/);
    // The operator's account commands reach an organisation's own accounts with --organisation.
    const unlocked = await diaodu(database, 'user', 'reset-totp', '--username', 'town-admin', '--organisation', 'test-town');
    assert.equal(unlocked.code, 0, unlocked.stderr);
    const homeOnly = await diaodu(database, 'user', 'unlock', '--username', 'town-admin');
    assert.equal(homeOnly.code, 2, 'not an account of the home organisation');
    const added2 = await diaodu(database, 'user', 'add', '--username', 'town-office', '--name', '吴敏', '--role', 'office', '--organisation', 'test-town');
    assert.equal(added2.code, 0, added2.stderr);
    const unknown = await diaodu(database, 'user', 'unlock', '--username', 'town-admin', '--organisation', 'nowhere');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /组织“nowhere”不存在/);
    // The province's supervisor and the platform administrator belong to the home organisation only.
    const supervisorInTown = await diaodu(
      database,
      'user',
      'add',
      '--username',
      'town-watch',
      '--name',
      '钱多',
      '--role',
      'supervisor',
      '--organisation',
      'test-town',
    );
    assert.notEqual(supervisorInTown.code, 0);
    assert.match(supervisorInTown.stderr, /省级督查员只能在主单位创建，不能建在“测试县生态环境局”/);
    assert.match((await diaodu(database, 'org', 'list')).stdout, /test-town\s+测试县生态环境局\s+使用中\s+账号 2/);

    // Each organisation's audit log is a chain of its own; each store is backed up on its own.
    const verified = await diaodu(database, 'audit', 'verify', '--organisation', 'test-town');
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /OK 审计日志完好/);
    if (engine === 'sqlite') {
      const out = path.join(path.dirname(sqlitePath(database.url)), 'town-backup.db');
      const backedUp = await diaodu(database, 'backup', '--out', out, '--organisation', 'test-town');
      assert.equal(backedUp.code, 0, backedUp.stderr);
      const copy = await openDatabase(`sqlite:${out}`);
      try {
        assert.ok(await createRepositories(copy.db).users.findUserByUsername('town-office'));
      } finally {
        await copy.close();
      }
    }

    const missing = await diaodu(database, 'org', 'add', '--code', 'x-town');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /缺少 --name/);
  });
});
