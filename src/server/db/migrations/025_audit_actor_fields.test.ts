import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { auditRowHash, checkChainedRow, GENESIS_HASH } from '../audit-chain.ts';
import { down, up } from './025_audit_actor_fields.ts';

forEachEngine('migration 025 (audit actor fields, chain format 2)', (it) => {
  it('goes down and up again; a row written before keeps format 1 and its hash; rows after it are format 2 and cover the new fields', async (database) => {
    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    // A row as the code before 025 wrote it (no new columns to name).
    const fields = {
      at: '2026-01-01T00:00:00.000Z',
      actor_kind: 'user',
      actor_name: '张敏',
      user_id: 7,
      ip: null,
      action: 'round.open',
      object_type: 'round',
      object_id: '1',
      result: 'ok',
      detail: '{}',
      prev_hash: GENESIS_HASH,
    };
    await sql`insert into audit_events (at, actor_kind, actor_name, user_id, ip, action, object_type, object_id, result, detail, prev_hash, hash)
      values (${fields.at}, ${fields.actor_kind}, ${fields.actor_name}, ${fields.user_id}, ${fields.ip}, ${fields.action}, ${fields.object_type}, ${fields.object_id}, ${fields.result}, ${fields.detail}, ${fields.prev_hash}, ${auditRowHash(fields)})`.execute(
      db,
    );
    await up(db);
    const [old] = await database.db.selectFrom('audit_events').selectAll().execute();
    assert.deepEqual([Number(old!.chain_format), old!.actor_login, old!.actor_display_name], [1, null, null]);
    assert.equal(checkChainedRow({ ...old!, id: Number(old!.id) }, GENESIS_HASH), null, 'the old row verifies as written');

    // A format-2 row: its hash covers the login and display name, and the format itself.
    const next = { ...fields, actor_name: 'office', actor_login: 'office', actor_display_name: '张敏', chain_format: 2, prev_hash: old!.hash };
    const hash = auditRowHash(next);
    assert.equal(checkChainedRow({ ...next, id: 2, hash }, old!.hash), null);
    assert.equal(checkChainedRow({ ...next, actor_display_name: '李岳东', id: 2, hash }, old!.hash)?.reason, 'hash', 'the display name is covered');
    assert.equal(checkChainedRow({ ...next, actor_login: 'leader', id: 2, hash }, old!.hash)?.reason, 'hash', 'the login name is covered');
    assert.equal(checkChainedRow({ ...next, chain_format: 1, id: 2, hash }, old!.hash)?.reason, 'hash', 'the format is covered');
  });
});

/** Decision 037: the repository's append is reached through the one writer only. */
test('no service builds an audit row itself: appendAuditEvent is called by the writer alone', async () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const callers: string[] = [];
  for (const entry of await readdir(path.join(root, 'server'), { recursive: true })) {
    if (!entry.endsWith('.ts') || entry.endsWith('.test.ts')) continue;
    if ((await readFile(path.join(root, 'server', entry), 'utf8')).includes('.appendAuditEvent(')) callers.push(entry.split(path.sep).join('/'));
  }
  assert.deepEqual(callers, ['services/audit-writer.ts']);
});
