import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { systemActor, type UserActor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { loadConfig } from '../config.ts';
import { createServices } from './index.ts';
import { restoreBackup } from './backup.service.ts';
import { createTestDatabase, forEachEngine } from '../../../tests/support/databases.ts';

const work = mkdtempSync(path.join(tmpdir(), 'diaodu-backup-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));
let serial = 0;
const fresh = (name: string) => path.join(work, `${++serial}-${name}`);

const code = (expected: string) => (error: unknown) => isDomainError(error) && error.code === expected;

forEachEngine('backup service', (it) => {
  it('writes a backup, audits it, and refuses to overwrite an existing file (which stays as it was)', async (database) => {
    const services = createServices({ database, config: { ...loadConfig({}), databaseUrl: database.url } });
    await services.demo.seedAccounts(systemActor('test'));
    const out = fresh('backup');
    const result = await services.backups.backup(systemActor('cli'), { out });
    assert.equal(result.engine, database.dialect);
    assert.equal(statSync(out).size, result.bytes);
    const audit = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'backup').execute();
    assert.equal(audit.length, 1);
    assert.equal(JSON.parse(audit[0]!.detail).sha256, result.sha256);

    writeFileSync(out + '.keep', 'precious');
    await assert.rejects(services.backups.backup(systemActor('cli'), { out: out + '.keep' }), code('backup_exists'));
    assert.equal(readFileSync(out + '.keep', 'utf8'), 'precious');
    await assert.rejects(services.backups.backup(systemActor('cli'), { out: path.join(work, 'no-such-folder', 'x') }), code('backup_folder_missing'));
  });

  it('is the system admin’s: a reporter may not take a backup', async (database) => {
    const services = createServices({ database, config: { ...loadConfig({}), databaseUrl: database.url } });
    const reporter: UserActor = { kind: 'user', userId: 1, username: 'r', name: 'r', role: 'reporter', unitId: 1 };
    const out = fresh('denied');
    await assert.rejects(services.backups.backup(reporter, { out }), code('forbidden_role'));
    await assert.rejects(restoreBackup(reporter, { file: out, databaseUrl: database.url }), code('forbidden_role'));
  });
});

describe('restore of a damaged SQLite backup', () => {
  it('refuses it with backup_corrupt and creates no target', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const services = createServices({ database, config: { ...loadConfig({}), databaseUrl: database.url } });
      await services.demo.loadDemoData(systemActor('test'));
      const out = fresh('damaged.db');
      await services.backups.backup(systemActor('cli'), { out });
      // Scribble over the middle of the file, past the header: pages of tables and indexes.
      const size = statSync(out).size;
      const fd = openSync(out, 'r+');
      writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
      closeSync(fd);
      const target = fresh('target.db');
      await assert.rejects(restoreBackup(systemActor('cli'), { file: out, databaseUrl: `sqlite:${target}` }), code('backup_corrupt'));
      assert.throws(() => statSync(target), /ENOENT/);
    } finally {
      await database.dispose();
    }
  });
});
