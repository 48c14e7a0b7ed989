import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import type { SessionView } from '../../src/domain/api/session.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/server/http/session-cookie.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { compiledEntry } from '../support/compiled-entry.ts';

/**
 * "Acknowledged means durable" (docs/promises.md): the real server in a child process on a temp SQLite
 * file (WAL, synchronous=FULL) takes 1,000 submits — 200 rounds × 5 reporters' units, each
 * preceded by the unit's draft saves — from 20 concurrent clients, and is killed with SIGKILL
 * at random moments, several times, and started again on the same file. Clients retry whatever
 * was not answered, with the same Idempotency-Key for a submit and the same text for a save.
 * Afterwards the file itself is read: integrity_check ok, every acknowledged submit stored once
 * (one audit row, one idempotency key), every answer with one audit row per version, and every
 * submission's state backed by its history in the audit log.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = path.join(ROOT, 'tests/integration/support/crash-server.ts');
const SERVER_ARGS = await compiledEntry(SERVER);
const REPORTERS = ['huanping', 'guicai', 'shuichu', 'shengtai', 'daqi'];
const ROUNDS = 200;
const CLIENTS = 20;
const KILLS = 4;

const work = mkdtempSync(path.join(tmpdir(), 'diaodu-crash-'));
const databaseFile = path.join(work, 'diaodu.db');
let server: { child: ChildProcess; base: string } | null = null;
after(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [...SERVER_ARGS, databaseFile], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 60 s:\n${output}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const ready = /READY (\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, base: `http://127.0.0.1:${ready[1]}` });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (${signal ?? code}):\n${output}`));
    });
  });
}

type Client = { cookie: string; csrf: string; unitId: number | null };
type Reply = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON read ad hoc

/** One request to whichever server is up now; null when the connection failed (the server died). */
async function request(method: string, url: string, client: Client | null, body?: unknown, headers: Record<string, string> = {}): Promise<Reply | null> {
  const current = server;
  if (!current) return null;
  try {
    const response = await fetch(current.base + url, {
      method,
      headers: {
        ...(client ? { cookie: client.cookie, [CSRF_HEADER]: client.csrf } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  } catch {
    return null;
  }
}

describe('crash safety: kill -9 during 1,000 submits', () => {
  it('keeps every acknowledged submit exactly once, with no half-written row', { timeout: 240_000 }, async (t) => {
    const started = performance.now();
    server = await startServer();
    const login = async (username: string): Promise<Client> => {
      const response = await fetch(`${server!.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      assert.equal(response.status, 200, `login ${username}`);
      const session = (await response.json()) as SessionView;
      const cookie = response.headers
        .getSetCookie()
        .map((h) => h.split(';')[0]!)
        .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`))!;
      return { cookie, csrf: session.csrfToken, unitId: session.user.unit?.id ?? null };
    };
    const office = await login('office');
    const reporters = await Promise.all(REPORTERS.map(login));
    const planId = ((await request('GET', '/api/plans', office))!.body as { id: number }[])[0]!.id;

    // Which tasks each reporter's unit answers: from a round over every task.
    const probe = (await request('POST', `/api/plans/${planId}/rounds`, office, { label: '探测轮次' }))!;
    assert.equal(probe.status, 201, JSON.stringify(probe.body));
    const tasksOf = new Map<number, number[]>();
    for (const reporter of reporters) {
      const todo = (await request('GET', `/api/rounds/${probe.body.id}/units/${reporter.unitId}/todo`, reporter))!;
      tasksOf.set(
        reporter.unitId!,
        (todo.body.items as { task: { id: number } }[]).map((item) => item.task.id),
      );
    }
    // Each round: one task of each unit (a different one each round where the unit has several).
    type Work = { roundId: number; reporter: Client; taskIds: number[]; key: string };
    const work: Work[] = [];
    // Opened ten at a time; the work list keeps round order.
    const openOne = async (r: number) => {
      const chosen = [
        ...new Set(
          reporters.map((reporter) => {
            const tasks = tasksOf.get(reporter.unitId!)!;
            return tasks[r % tasks.length]!;
          }),
        ),
      ];
      const opened = (await request('POST', `/api/plans/${planId}/rounds`, office, { label: `压测第${r + 1}轮`, taskIds: chosen }))!;
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      return reporters.map((reporter) => ({
        roundId: opened.body.id as number,
        reporter,
        taskIds: chosen.filter((id) => tasksOf.get(reporter.unitId!)!.includes(id)),
        key: `crash-${opened.body.id}-${reporter.unitId}-${r}`,
      }));
    };
    for (let r = 0; r < ROUNDS; r += 10) work.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => openOne(r + i)))).flat());
    t.diagnostic(`set-up (server start, logins, ${ROUNDS} rounds opened): ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const loadStarted = performance.now();
    assert.equal(work.length, 1_000);

    const textOf = (roundId: number, taskId: number, unitId: number) =>
      `（断电测试）调度${roundId}·任务${taskId}·单位${unitId}：已按期推进落实，相关制度文件已印发实施。`;
    const acknowledged: Work[] = [];
    let connectionFailures = 0;
    const unexpected: string[] = [];
    let restarting: Promise<void> | null = null;

    /** Sends until the server answers (retrying across crashes); returns the answer. */
    const untilAnswered = async (send: () => Promise<Reply | null>): Promise<Reply> => {
      for (;;) {
        const reply = await send();
        if (reply) return reply;
        connectionFailures++;
        await (restarting ?? new Promise((resolve) => setTimeout(resolve, 50)));
      }
    };

    const runOne = async (item: Work) => {
      const unitId = item.reporter.unitId!;
      for (const taskId of item.taskIds) {
        const text = textOf(item.roundId, taskId, unitId);
        const url = `/api/rounds/${item.roundId}/tasks/${taskId}/units/${unitId}/answer`;
        const saved = await untilAnswered(() => request('PUT', url, item.reporter, { text, status: 'on_track', reason: null, version: 0 }));
        // 409 after a crash: the save committed but its answer was lost; the server shows our text.
        const stored = saved.status === 409 ? saved.body?.error?.details?.stored : null;
        if (saved.status !== 200 && !(stored && stored.text === text && stored.version === 1))
          unexpected.push(`save ${url}: ${saved.status} ${JSON.stringify(saved.body).slice(0, 300)}`);
      }
      const submitted = await untilAnswered(() =>
        request('POST', `/api/rounds/${item.roundId}/units/${unitId}/submit`, item.reporter, {}, { 'idempotency-key': item.key }),
      );
      if (submitted.status === 200 && submitted.body.state === 'submitted') acknowledged.push(item);
      else unexpected.push(`submit ${item.key}: ${submitted.status} ${JSON.stringify(submitted.body).slice(0, 300)}`);
    };

    let next = 0;
    let finished = false;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (next < work.length) await runOne(work[next++]!);
    });
    const allDone = Promise.all(clients).then(() => {
      finished = true;
    });

    // The killer: SIGKILL at a random moment, start again on the same file, KILLS times.
    let kills = 0;
    let acknowledgedAtKills: number[] = [];
    while (kills < KILLS && !finished) {
      await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 700))]);
      if (finished) break;
      const victim = server!;
      let release!: () => void;
      restarting = new Promise<void>((resolve) => (release = resolve));
      const exited = new Promise((resolve) => victim.child.once('exit', resolve));
      victim.child.kill('SIGKILL');
      await exited;
      kills++;
      acknowledgedAtKills.push(acknowledged.length);
      server = null;
      server = await startServer();
      release();
      restarting = null;
    }
    await allDone;
    t.diagnostic(
      `1,000 submits with ${kills} kills and restarts: ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; ${connectionFailures} requests cut off and retried`,
    );
    acknowledgedAtKills = acknowledgedAtKills.filter((n) => n < work.length);

    assert.deepEqual(unexpected, [], 'every request was finally answered as expected');
    assert.equal(acknowledged.length, 1_000);
    assert.ok(kills >= 3, `the server was killed ${kills} times while submits went on (acknowledged at each kill: ${acknowledgedAtKills.join(', ')})`);
    assert.ok(connectionFailures > 0, 'requests were cut off by the kills');

    // A last SIGKILL, so the file is read as a crash leaves it.
    const last = server!;
    const gone = new Promise((resolve) => last.child.once('exit', resolve));
    last.child.kill('SIGKILL');
    await gone;
    server = null;

    const db = new BetterSqlite3(databaseFile);
    try {
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      const submission = db.prepare('select id, state from unit_submissions where round_id = ? and unit_id = ?');
      const auditCount = db.prepare('select count(*) as n from audit_events where action = ? and object_id = ?');
      const keyCount = db.prepare('select count(*) as n from idempotency_keys where key = ?');
      for (const item of acknowledged) {
        const row = submission.get(item.roundId, item.reporter.unitId) as { id: number; state: string };
        assert.equal(row.state, 'submitted', `${item.key} stored`);
        assert.equal((auditCount.get('submission.submit', String(row.id)) as { n: number }).n, 1, `${item.key}: one submit in the audit log`);
        assert.equal((keyCount.get(item.key) as { n: number }).n, 1, `${item.key}: one idempotency record`);
      }
      // No answer without its audit rows: one answer.save per stored version.
      const answers = db
        .prepare(
          `select p.round_id, p.task_id, p.unit_id, p.version, p.text,
                  (select count(*) from audit_events a where a.action = 'answer.save'
                     and a.object_id = p.round_id || '/' || p.task_id || '/' || p.unit_id) as saves
           from progress_entries p join rounds r on r.id = p.round_id where r.label like '压测%'`,
        )
        .all() as { round_id: number; task_id: number; unit_id: number; version: number; text: string; saves: number }[];
      assert.equal(
        answers.length,
        work.reduce((sum, item) => sum + item.taskIds.length, 0),
      );
      for (const answer of answers) {
        assert.equal(answer.version, 1, `${answer.round_id}/${answer.task_id}/${answer.unit_id} saved once`);
        assert.equal(answer.saves, answer.version, `${answer.round_id}/${answer.task_id}/${answer.unit_id}: an audit row per version`);
        assert.equal(answer.text, textOf(answer.round_id, answer.task_id, answer.unit_id));
      }
      // No submission state without its history, and no history without its state.
      const states = db
        .prepare(
          `select s.id, s.state,
                  (select count(*) from audit_events a where a.action = 'submission.submit' and a.object_id = cast(s.id as text)) as submits
           from unit_submissions s join rounds r on r.id = s.round_id where r.label like '压测%'`,
        )
        .all() as { id: number; state: string; submits: number }[];
      for (const row of states) assert.equal(row.submits, row.state === 'submitted' ? 1 : 0, `submission ${row.id} (${row.state}) and its audit rows`);
      assert.equal(states.filter((row) => row.state === 'submitted').length, 1_000);
    } finally {
      db.close();
    }
  });
});
