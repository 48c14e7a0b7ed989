import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { createTestDatabase, postgresTestUrl } from '../support/databases.ts';
import type { Json } from '../support/test-server.ts';
import { compiledEntry } from '../support/compiled-entry.ts';

/**
 * Issue 17, decision 040: two real server processes (`src/server/main.ts`, as `npm start` runs it)
 * on one PostgreSQL schema behind Debian's nginx (round-robin, run as this test's own process with
 * a generated config on loopback ports) behave as one service. A round goes through them in turn:
 * opened on A, a draft saved on B, submitted on A, reviewed on B; an export asked on A is polled
 * and downloaded on B; a lock caused through A holds on B; a to-do list read on B after a save on
 * A shows the save, though B keeps its lists (decision 043: a change no server is told of does not
 * show on B); the export rate limit counts across both. The proxy spreads requests over both.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// src/server/main.ts, the entry `npm start` runs (from dist/ there), compiled ahead as the test files are: what is
// checked here is what the server does; how the built tree starts is build.test.ts's subject.
const SERVER_ARGS = await compiledEntry('src/server/main.ts');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
// No silent skip (as for the PostgreSQL halves of other suites): without either, the test fails saying what to install.
const missing =
  postgresTestUrl() === null
    ? 'needs PostgreSQL (tests/.postgres-url): run `bash scripts/test-deps.sh`'
    : NGINX === undefined
      ? 'needs nginx: run `bash scripts/test-deps.sh` (installs it)'
      : null;

const dir = mkdtempSync(path.join(tmpdir(), 'diaodu-multi-server-'));
const children: ChildProcess[] = [];
let disposeDatabase: (() => Promise<void>) | null = null;
let databaseUrl = '';
let servers: { a: string; b: string; proxy: string; ports: number[] };

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitFor(what: string, ready: () => boolean | Promise<boolean>, output: () => string, ms = 120_000): Promise<void> {
  const started = Date.now();
  while (!(await ready())) {
    if (Date.now() - started > ms) assert.fail(`${what} did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startServer(url: string, port: number): Promise<void> {
  const env = {
    ...process.env,
    DIAODU_DATABASE_URL: url,
    HOST: '127.0.0.1',
    PORT: String(port),
    DIAODU_LOG_LEVEL: 'error',
    // The proxy is on loopback: the client's address is the one nginx forwards.
    DIAODU_TRUST_PROXY: 'true',
    DIAODU_EXPORT_RATE_LIMIT: '4',
    DIAODU_LOGIN_MAX_FAILURES: '3',
  };
  const child = spawn(process.execPath, SERVER_ARGS, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await waitFor(
    `the server on ${port}`,
    () => {
      if (child.exitCode !== null) assert.fail(`the server on ${port} exited:\n${output}`);
      return output.includes('按 Ctrl+C 停止');
    },
    () => output,
  );
}

/** Two app servers on one PostgreSQL database and nginx in front of them, as docs/operations.md deploys them. */
async function startTheService(): Promise<void> {
  const database = await createTestDatabase('postgres');
  disposeDatabase = database.dispose;
  const url = database.url;
  databaseUrl = url;
  await database.close();
  const [a, b, proxy] = [await freePort(), await freePort(), await freePort()];
  // Both at once on the empty schema: one loads the demo data, the other waits for it and finds it there (decision 043).
  await Promise.all([startServer(url, a), startServer(url, b)]);
  const config = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  log_format upstream '$upstream_addr $status $request';
  access_log ${dir}/access.log upstream;
  upstream diaodu { server 127.0.0.1:${a}; server 127.0.0.1:${b}; }
  server {
    listen 127.0.0.1:${proxy};
    client_max_body_size 60m;
    location / {
      proxy_pass http://diaodu;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`;
  writeFileSync(path.join(dir, 'nginx.conf'), config);
  const checked = spawnSync(NGINX!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);
  const nginx = spawn(NGINX!, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(nginx);
  let nginxOutput = '';
  nginx.stderr!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString('utf8')));
  const base = `http://127.0.0.1:${proxy}`;
  await waitFor(
    'nginx',
    async () => (await fetch(`${base}/api/health`).catch(() => null)) !== null,
    () => nginxOutput,
    20_000,
  );
  servers = { a: `http://127.0.0.1:${a}`, b: `http://127.0.0.1:${b}`, proxy: base, ports: [a, b] };
}

after(async () => {
  for (const child of children.reverse()) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await disposeDatabase?.();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Changes an answer's text behind every server's back: the table's triggers (the change notice of
 * decision 043, the search index's) are off for that one transaction, so no server is told.
 */
async function silentlySetText(roundId: number, taskId: number, unitId: number, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('alter table progress_entries disable trigger user');
    const updated = await client.query('update progress_entries set text = $1 where round_id = $2 and task_id = $3 and unit_id = $4', [
      text,
      roundId,
      taskId,
      unitId,
    ]);
    assert.equal(updated.rowCount, 1);
    await client.query('alter table progress_entries enable trigger user');
    await client.query('commit');
  } finally {
    await client.end();
  }
}

type Client = { call(server: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: Json; bytes: Buffer; headers: Headers }> };

async function login(server: string, username: string, password = DEMO_PASSWORD): Promise<{ status: number; body: Json; client: Client }> {
  const response = await fetch(`${server}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as Json;
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  const client: Client = {
    async call(target, method, url, payload) {
      const answer = await fetch(`${target}${url}`, {
        method,
        headers: { cookie, 'x-csrf-token': body.csrfToken ?? '', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      let parsed: Json = null;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        parsed = null;
      }
      return { status: answer.status, body: parsed, bytes, headers: answer.headers };
    },
  };
  return { status: response.status, body, client };
}

it('two servers behind nginx are one service: a round, an export, a lock, a to-do list and a rate limit across both', { timeout: 300_000 }, async () => {
  if (missing) throw new Error(missing);
  // Started here, not in a top-level `before`: the file shares its process with others (scripts/run-tests.mjs).
  await startTheService();
  const { a, b, proxy } = servers;
  const ok = (response: { status: number; body: Json }, what: string) =>
    assert.ok(response.status < 300, `${what}: ${response.status} ${JSON.stringify(response.body)}`);
  const office = (await login(a, 'office')).client;
  const reporterLogin = await login(b, 'huanping');
  const reporter = reporterLogin.client;
  const unitId = reporterLogin.body.user.unit.id as number;

  // Opened on A.
  const planId = (await office.call(a, 'GET', '/api/plans')).body[0].id as number;
  const opened = await office.call(a, 'POST', `/api/plans/${planId}/rounds`, { label: '多服务器测试', deadline: '2099-01-01' });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const roundId = opened.body.id as number;

  // A to-do list read on B (kept there), a save on A, the list read on B again shows the save.
  const before = await reporter.call(b, 'GET', `/api/rounds/${roundId}/units/${unitId}/todo`);
  ok(before, 'todo on B');
  const items = before.body.items as Json[];
  const first = items[0].task.id as number;
  ok(
    await reporter.call(a, 'PUT', `/api/rounds/${roundId}/tasks/${first}/units/${unitId}/answer`, {
      text: '在A上保存。',
      status: 'on_track',
      reason: null,
      version: 0,
    }),
    'save on A',
  );
  const afterSave = await reporter.call(b, 'GET', `/api/rounds/${roundId}/units/${unitId}/todo`);
  const textOnB = async () =>
    (await reporter.call(b, 'GET', `/api/rounds/${roundId}/units/${unitId}/todo`)).body.items.find((item: Json) => item.task.id === first).answer
      ?.text as string;
  assert.equal(afterSave.body.items.find((item: Json) => item.task.id === first).answer?.text, '在A上保存。', 'B’s to-do list shows A’s save');

  // B keeps the list on PostgreSQL too (decision 043): a change that tells no server (its notice
  // triggers switched off, as no write of the app ever is) does not show on B. Another server's
  // tick may write meanwhile (a reminder, a send) and rightly make B read again: then B shows the
  // silent text and keeps that, and the next silent change must not show. Without kept lists on
  // PostgreSQL every read shows the latest silent text.
  let kept = '在A上保存。';
  let provenKept = false;
  for (let attempt = 0; attempt < 5 && !provenKept; attempt++) {
    await silentlySetText(roundId, first, unitId, `无通知的修改${attempt}`);
    const shown = await textOnB();
    provenKept = shown === kept;
    kept = shown;
  }
  assert.ok(provenKept, `B kept its to-do list: a change no server was told of never showed at once (last shown: ${kept})`);
  // A save through A makes B's kept list stale before B's next read, with no wait in between.
  const version = (await reporter.call(b, 'GET', `/api/rounds/${roundId}/units/${unitId}/todo`)).body.items.find((item: Json) => item.task.id === first).answer
    .version as number;
  for (const [i, text] of ['在A上再次保存。', '在A上第三次保存。'].entries())
    ok(
      await reporter.call(a, 'PUT', `/api/rounds/${roundId}/tasks/${first}/units/${unitId}/answer`, {
        text,
        status: 'on_track',
        reason: null,
        version: version + i,
      }),
      `save ${i + 2} on A`,
    );
  assert.equal(await textOnB(), '在A上第三次保存。', 'B’s kept list was made stale by A’s save');

  // Drafts saved on B (the rest of the answers), submitted on A, reviewed (accepted) by the office on B.
  for (const item of items.slice(1)) {
    ok(
      await reporter.call(b, 'PUT', `/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
        text: '在B上保存。',
        status: 'on_track',
        reason: null,
        version: 0,
      }),
      'save on B',
    );
  }
  ok(await reporter.call(a, 'POST', `/api/rounds/${roundId}/units/${unitId}/submit`, {}), 'submit on A');
  ok(await office.call(b, 'POST', `/api/rounds/${roundId}/units/${unitId}/accept`, {}), 'accepted by the office on B');
  const board = await office.call(b, 'GET', `/api/rounds/${roundId}/board`);
  ok(board, 'board on B');
  assert.match(JSON.stringify(board.body), /accepted/, 'B shows the unit accepted');

  // An export asked on A is polled and downloaded on B.
  const asked = await office.call(a, 'POST', `/api/rounds/${roundId}/exports`, { format: 'json' });
  assert.equal(asked.status, 202, JSON.stringify(asked.body));
  const jobId = asked.body.jobId as string;
  let status: Json = null;
  const deadline = Date.now() + 60_000;
  while (status?.status !== 'done') {
    if (Date.now() > deadline || status?.status === 'failed') assert.fail(`the export did not finish: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const polled = await office.call(b, 'GET', `/api/exports/${jobId}`);
    assert.equal(polled.status, 200, JSON.stringify(polled.body));
    status = polled.body;
  }
  const file = await office.call(b, 'GET', `/api/exports/${jobId}/file`);
  assert.equal(file.status, 200);
  assert.equal(file.bytes.byteLength, status.bytes);
  assert.match(file.bytes.toString('utf8'), /多服务器测试/, 'the file is the round’s');

  // The export rate limit (4 a minute here) counts across both servers: 3 more alternately, the 5th refused.
  for (const [i, server] of [b, a, b].entries()) {
    const more = await office.call(server, 'POST', `/api/rounds/${roundId}/exports`, { format: 'json' });
    assert.equal(more.status, 202, `export ${i + 2}: ${JSON.stringify(more.body)}`);
  }
  const fifth = await office.call(a, 'POST', `/api/rounds/${roundId}/exports`, { format: 'json' });
  assert.equal(fifth.status, 429, 'the fifth in a minute, on the other server, is refused');
  assert.equal(fifth.body.error.code, 'export_too_often', JSON.stringify(fifth.body));

  // A lock caused through A (3 wrong passwords here) holds on B: the right password is refused there.
  for (let i = 0; i < 3; i++) assert.ok((await login(a, 'guicai', 'wrong-password')).status >= 400);
  const locked = await login(b, 'guicai');
  assert.ok(locked.status >= 400, 'the right password is refused on B');
  assert.equal(locked.body.error?.code, 'account_locked', JSON.stringify(locked.body));

  // Through the proxy: both servers answer, and a session from A works on whichever gets the request.
  for (let i = 0; i < 6; i++) ok(await office.call(proxy, 'GET', `/api/rounds/${roundId}/board`), 'board through the proxy');
  const upstreams = new Set(
    readFileSync(path.join(dir, 'access.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('/board'))
      .map((line) => line.split(' ')[0]),
  );
  assert.deepEqual([...upstreams].sort(), servers.ports.map((port) => `127.0.0.1:${port}`).sort(), 'nginx spread the requests over both servers');
});
