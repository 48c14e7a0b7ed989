import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/server/db/database.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import type { Json } from '../support/test-server.ts';
import { compiledEntry } from '../support/compiled-entry.ts';

/**
 * Issue 16: the real server process (`src/server/main.ts`, as `npm start` runs it) starts the outbox
 * worker with the real channels: the office's 催办 to a unit with an e-mail address arrives at an SMTP server on
 * loopback named by DIAODU_SMTP_URL, and SIGTERM stops worker and server cleanly (exit 0).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// src/server/main.ts, the entry `npm start` runs (from dist/ there), compiled ahead as the test files are: what is
// checked here is what the server does; how the built tree starts is build.test.ts's subject.
const SERVER_ARGS = await compiledEntry('src/server/main.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'diaodu-delivery-process-'));

// Started as the file loads, not in a top-level `before`: the file shares its process with others (scripts/run-tests.mjs).
const smtp = await startSmtpReceiver();
after(async () => {
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

it('npm start sends 催办 to a unit’s e-mail through DIAODU_SMTP_URL and stops cleanly on SIGTERM', async () => {
  const file = path.join(dir, 'diaodu.db');
  const env = {
    ...process.env,
    DIAODU_DATABASE_URL: `sqlite:${file}`,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DIAODU_LOG_LEVEL: 'error',
    DIAODU_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    DIAODU_MAIL_FROM: 'diaodu@example.gov.cn',
  };
  const child = spawn(process.execPath, SERVER_ARGS, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const started = Date.now();
    while (!output.includes('按 Ctrl+C 停止')) {
      if (child.exitCode !== null || Date.now() - started > 120_000) assert.fail(`the server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The address as the system admin sets it (that API is tested in-process: delivery-addresses.test.ts).
    const database = await openDatabase(`sqlite:${file}`);
    let unitId: number;
    try {
      unitId = Number((await database.db.selectFrom('units').select('id').where('name', '=', '环评处').executeTakeFirstOrThrow()).id);
      await createRepositories(database.db).deliveryAddresses.putUnitAddress(
        unitId,
        { email: 'huanping@example.gov.cn', webhook: null },
        new Date().toISOString(),
      );
    } finally {
      await database.close();
    }

    // The office sends 催办 over HTTP, as the browser does.
    const base = `http://127.0.0.1:${env.PORT}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'office', password: DEMO_PASSWORD }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const call = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };
    const planId = (await call('GET', '/api/plans')).body[0].id as number;
    const opened = await call('POST', `/api/plans/${planId}/rounds`, { label: '进程送达测试', deadline: '2099-01-01' });
    assert.equal(opened.status, 201);
    assert.equal((await call('POST', `/api/rounds/${opened.body.id}/units/${unitId}/reminders`, { message: '请今天提交。' })).status, 201);

    const deadline = Date.now() + 20_000;
    while (!smtp.received.some((m) => m.to.includes('huanping@example.gov.cn'))) {
      if (Date.now() > deadline) assert.fail(`no mail arrived:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The board's delivery state follows once the worker records the send.
    let channels: Json = null;
    while (channels?.[0]?.state !== 'sent') {
      if (Date.now() > deadline) assert.fail(`the delivery state never became sent: ${JSON.stringify(channels)}`);
      const delivery = await call('GET', `/api/rounds/${opened.body.id}/delivery`);
      assert.equal(delivery.status, 200);
      channels = delivery.body.units.find((u: Json) => u.unitId === unitId)?.channels;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(
      channels.map((c: Json) => [c.channel, c.event, c.state, c.reason]),
      [['email', 'urge', 'sent', null]],
    );
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
