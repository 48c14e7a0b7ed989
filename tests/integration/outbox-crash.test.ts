import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../support/databases.ts';
import { importSeed } from '../support/seeded-plan.ts';
import { inTransaction } from '../../src/server/db/transaction.ts';
import { compiledEntry } from '../support/compiled-entry.ts';

/**
 * Issue 16's kill -9 acceptance: reminders due while no worker runs are sent once after one
 * starts; a worker killed with SIGKILL mid-send leaves its rows to be sent once by the others
 * when its claim expires; two worker processes on one PostgreSQL send each reminder exactly once.
 * The messages go to a loopback HTTP recorder in this process, which outlives the workers.
 * Without a PostgreSQL server it fails and says how to get one (no silent skip).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKER = path.join(ROOT, 'tests/integration/support/outbox-worker.ts');
const WORKER_ARGS = await compiledEntry(WORKER);
const LEASE_MS = 1500;
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startWorker(url: string, recorder: string, workerId: string, mode: 'send' | 'hang'): Promise<{ child: ChildProcess; sending: Promise<void> }> {
  const child = spawn(process.execPath, [...WORKER_ARGS, url, recorder, workerId, mode, String(LEASE_MS)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let onSending: () => void = () => undefined;
  const sending = new Promise<void>((resolve) => (onSending = resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 60 s:\n${output}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('SENDING')) onSending();
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve({ child, sending });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited before it was ready (${signal ?? code}):\n${output}`));
    });
  });
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the outbox across SIGKILL and two worker processes [postgres]', () => {
  it('sends each reminder due while down exactly once, after a worker died mid-send, with two workers on one PostgreSQL', async () => {
    const database = await createTestDatabase('postgres');
    const received: { workerId: string; to: string; subject: string }[] = [];
    const recorder: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/`;
    try {
      // A round whose deadline was three days ago, its rung already due, six units not handed in.
      await importSeed(database);
      const round = await database.db.selectFrom('rounds').select('id').orderBy('id').executeTakeFirstOrThrow();
      const units = await database.db.selectFrom('units').select('id').where('collective', '=', 0).orderBy('id').limit(6).execute();
      const deadline = new Date(Date.now() - 3 * 24 * 3_600_000).toISOString();
      await database.db.updateTable('rounds').set({ status: 'open', deadline }).where('id', '=', round.id).execute();
      await database.db.deleteFrom('unit_submissions').where('round_id', '=', round.id).execute();
      await database.db
        .insertInto('unit_submissions')
        .values(units.map((u) => ({ round_id: round.id, unit_id: u.id, state: 'draft', version: 1, updated_at: deadline })))
        .execute();
      const ladder = ['before:1d'].map((rung) => ({ rung, quietHours: true, weekends: true }));
      await inTransaction(database, (r) => r.outbox.setLadder(round.id, ladder, '张敏', '2000-01-01T00:00:00.000Z'));

      // The first worker enqueues the six reminders, begins sending, and is killed mid-send.
      const doomed = await startWorker(database.url, recorderUrl, 'doomed', 'hang');
      await doomed.sending;
      await stopped(doomed.child, 'SIGKILL');
      const left = await database.db.selectFrom('outbox').select(['state', 'claimed_by']).execute();
      assert.equal(left.length, 6);
      assert.ok(
        left.some((row) => row.state === 'sending' && row.claimed_by === 'doomed'),
        'it died holding a claim',
      );
      assert.equal(received.length, 0);

      // Two workers on the same PostgreSQL take over once the claim expires.
      const [a, b] = await Promise.all([startWorker(database.url, recorderUrl, 'a', 'send'), startWorker(database.url, recorderUrl, 'b', 'send')]);
      for (let i = 0; i < 300 && received.length < 6; i++) await wait(100);
      await wait(LEASE_MS + 1000); // long enough for any second send to show
      await Promise.all([stopped(a.child, 'SIGTERM'), stopped(b.child, 'SIGTERM')]);

      // Six rows, each sent (so each at least once), and six sends in all: each exactly once.
      const rows = await database.db.selectFrom('outbox').select(['state', 'dedupe_key']).execute();
      assert.equal(rows.length, 6, 'no reminder was enqueued twice');
      assert.ok(
        rows.every((row) => row.state === 'sent'),
        JSON.stringify(rows),
      );
      assert.equal(received.length, 6, JSON.stringify(received));
      for (const unit of units) assert.equal(received.filter((m) => m.to === `unit${unit.id}@example.cn`).length, 1, 'one per unit, once');
      assert.ok(!received.some((m) => m.workerId === 'doomed'));
    } finally {
      recorder.close();
      await database.dispose();
    }
  });
});
