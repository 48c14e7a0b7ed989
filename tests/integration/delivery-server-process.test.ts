import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../../src/server/db/database.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { enqueueIn } from '../../src/server/delivery/outbox.ts';

/**
 * Issue 16: the real server process (`src/server/main.ts`, as `npm start` runs it) starts the outbox
 * worker with the real channels: a message queued in its database arrives at an SMTP server on
 * loopback named by DIAODU_SMTP_URL, and SIGTERM stops worker and server cleanly (exit 0).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const received: { to: string[]; raw: string }[] = [];
let smtp: SMTPServer;
let smtpPort: number;
const dir = mkdtempSync(path.join(tmpdir(), 'diaodu-delivery-process-'));

before(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
after(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

it('npm start sends what is queued through DIAODU_SMTP_URL and stops cleanly on SIGTERM', async () => {
  const file = path.join(dir, 'diaodu.db');
  const env = {
    ...process.env,
    DIAODU_DATABASE_URL: `sqlite:${file}`,
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    DIAODU_LOG_LEVEL: 'error',
    DIAODU_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    DIAODU_MAIL_FROM: 'diaodu@example.gov.cn',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const database = await openDatabase(`sqlite:${file}`);
    try {
      const repositories = createRepositories(database.db);
      const unit = await database.db.selectFrom('units').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow();
      await enqueueIn(
        repositories,
        [{ event: 'urge', roundId: null, recipient: { unitId: Number(unit.id) }, channel: 'email', address: JSON.stringify({ channel: 'email', to: 'unit@example.gov.cn' }), message: { subject: '催办测试', body: `${unit.name}：请尽快提交。`, link: null }, dedupeKey: 'process-test' }],
        new Date(),
      );
      const deadline = Date.now() + 20_000;
      while (!received.some((m) => m.to.includes('unit@example.gov.cn'))) {
        if (Date.now() > deadline) assert.fail(`no mail arrived:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const row = await database.db.selectFrom('outbox').select(['state']).where('dedupe_key', '=', 'process-test').executeTakeFirstOrThrow();
      assert.equal(row.state, 'sent');
    } finally {
      await database.close();
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
