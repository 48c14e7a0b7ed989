import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.ts';
import { attachmentFiles, uploadAttachment } from '../support/attachment-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * Web hardening (docs/promises.md, "Only the right people get in"): every write refuses a request
 * without the session's CSRF token, no GET writes, every /api answer says no-store, security
 * headers (CSP, frame-ancestors, nosniff, referrer policy; HSTS only behind TLS), and bodies
 * over the cap are 413 with a clear message. The routes come from the OpenAPI document, so a
 * route added later is checked without anyone remembering to.
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PUBLIC_ROUTES = new Set(['POST /api/auth/login', 'GET /api/health']);

/** Tables a GET may touch: the session's last use (idle timeout) and the audit log (checked on its own, GET_AUDITED). */
// rate_limit_hits: on PostgreSQL the rate limiter counts every request to a limited route, reads
// too, in the database so that several servers share the count (decision 040): a counter, not data.
const BOOKKEEPING = new Set(['sessions', 'audit_events', 'kysely_migration', 'kysely_migration_lock', 'rate_limit_hits']);

/**
 * The only audit rows a GET may write besides `access.denied` (a refused GET is audited like
 * any 403): handing out a file is an export, and the audit admin's queries of the log are
 * themselves audited (等保 8.1.5.2 a; decision 009). Reading that writes anything else is a bug.
 */
const GET_AUDITED: Record<string, readonly string[]> = {
  'GET /api/audit': ['audit.read'],
  'GET /api/audit/export': ['audit.export'],
  'GET /api/exports/{jobId}/file': ['round.export'],
  // 考核 workbooks (issue 15) are handed out as they are made: each download is an export.
  'GET /api/rounds/{roundId}/evaluation.xlsx': ['evaluation.export'],
  'GET /api/plans/{planId}/evaluation.xlsx': ['evaluation.export'],
};

async function routesOf(server: TestServer, client: SignedInClient): Promise<string[]> {
  const spec = await client.get('/api/openapi.json');
  assert.equal(spec.status, 200);
  const routes: string[] = [];
  for (const [template, item] of Object.entries(spec.body.paths as Record<string, Record<string, unknown>>))
    for (const method of METHODS) if (item[method]) routes.push(`${method.toUpperCase()} ${template}`);
  assert.ok(routes.length > 10, routes.join('\n'));
  return routes;
}

/** A path for a route template: ids of the seed where the name says which, else 1. */
function urlOf(server: TestServer, template: string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => String(name === 'planId' ? server.planId : name === 'roundId' ? server.roundId : 1));
}

/**
 * Every signed-in kind of user the GET sweep reads as: each GET route must answer one of them
 * with a 2xx (the others' 403s are part of the sweep too: a refused GET must not write either).
 */
const READERS = ['office', 'leader', 'huanping', 'huanping-head', 'auditor', 'sysadmin', 'secadmin', 'supervisor', 'platform'] as const;

/** Values for required query parameters, by name. A new required one without a value fails the sweep by route. */
const QUERY_VALUES: Record<string, string> = { q: '环评', year: '2017' };

/** Optional query parameters a route still needs to answer 2xx (search refuses an empty q with 422). */
const QUERY_BY_ROUTE: Record<string, readonly string[]> = { 'GET /api/search': ['q'] };

/**
 * Something to read behind every path parameter, made through the API before the snapshot: a
 * round opened over the seed plan (the seed's own round is imported, and some reads refuse an
 * imported round), 环评处's first task in it, an evidence file on its answer, a saved notice, a
 * finished export job. `roundId` is tried as the new round and as the imported one, `unitId` as
 * 环评处 and as the collective unit 直属单位 (answered by the office).
 */
async function readableThings(
  server: TestServer,
  office: SignedInClient,
  reporter: SignedInClient,
  sysadmin: SignedInClient,
): Promise<Record<string, (string | number)[]>> {
  const opened = await office.post(`/api/plans/${server.planId}/rounds`, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: '2099-10-10',
    note: null,
  });
  assert.equal(opened.status, 201, opened.text);
  const roundId = opened.body.id as number;
  const unitId = reporter.session.user.unit!.id;
  const collective = ((await sysadmin.get('/api/admin/units')).body as { id: number; name: string }[]).find((unit) => unit.name === '直属单位')!.id;
  const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  assert.equal(todo.status, 200, todo.text);
  const taskId = (todo.body.items as { task: { id: number } }[])[0]!.task.id;
  const upload = await uploadAttachment(
    server,
    reporter,
    `/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/attachments`,
    '佐证材料.pdf',
    attachmentFiles.pdf('GET sweep'),
  );
  assert.equal(upload.status, 200, JSON.stringify(upload.body));
  const notice = await office.get(`/api/rounds/${roundId}/notice`);
  const saved = await office.put(`/api/rounds/${roundId}/notice`, { notice: notice.body.notice, version: notice.body.version });
  assert.equal(saved.status, 200, saved.text);
  const job = await office.post(`/api/rounds/${roundId}/exports`, { format: 'json' });
  assert.equal(job.status, 202, job.text);
  // The job writes its audit row when it finishes: before the snapshot, not during the sweep.
  let status = 'queued';
  for (let i = 0; i < 400 && ['queued', 'running'].includes(status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    status = (await office.get(`/api/exports/${job.body.jobId}`)).body.status;
  }
  assert.equal(status, 'done');
  return {
    planId: [server.planId!],
    roundId: [roundId, server.roundId!],
    unitId: [unitId, collective],
    taskId: [taskId],
    id: [upload.body.id as number],
    jobId: [job.body.jobId as string],
    code: ['home'],
  };
}

/** Every URL of a route template over the values (each combination), with its required query parameters. */
function urlsOf(template: string, values: Record<string, (string | number)[]>, query: string[]): string[] {
  let urls = [template];
  for (const name of [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!))
    urls = urls.flatMap((url) => values[name]!.map((value) => url.replace(`{${name}}`, encodeURIComponent(String(value)))));
  const search = query.map((name) => `${name}=${encodeURIComponent(QUERY_VALUES[name]!)}`).join('&');
  return search ? urls.map((url) => `${url}?${search}`) : urls;
}

/** A digest of every table's contents but the bookkeeping ones, to see whether anything was written. */
async function dataDigest(database: Database): Promise<Record<string, string>> {
  const tables =
    database.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db)).rows.map(
          (r) => r.name,
        )
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(database.db)
        ).rows.map((r) => r.name);
  const digest: Record<string, string> = {};
  for (const table of tables.filter((name) => !BOOKKEEPING.has(name) && !name.includes('_fts')).sort()) {
    const { rows } = await sql`select * from ${sql.table(table)}`.execute(database.db);
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    digest[table] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return digest;
}

forEachEngine('web hardening', (it) => {
  it('every write in the OpenAPI document refuses a request without the CSRF token, or with a wrong one, and changes nothing', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const routes = (await routesOf(server, office)).filter((route) => !route.startsWith('GET ') && !PUBLIC_ROUTES.has(route));
      assert.ok(routes.length >= 5, routes.join('\n'));
      const before = await dataDigest(database);
      const accepted: string[] = [];
      for (const route of routes) {
        const [method = 'POST', template = ''] = route.split(' ');
        for (const token of [undefined, 'not-the-token']) {
          const headers: Record<string, string> = { cookie: office.cookie, 'content-type': 'application/json' };
          if (token !== undefined) headers['x-csrf-token'] = token;
          const response = await server.app.inject({ method: method as 'POST', url: urlOf(server, template), headers, payload: '{}' });
          if (response.statusCode !== 403 || response.json().error.code !== 'csrf_failed')
            accepted.push(`${route} (${token ?? 'no token'}) → ${response.statusCode}`);
        }
      }
      assert.deepEqual(accepted, [], 'writes that did not refuse a missing or wrong CSRF token');
      assert.deepEqual(await dataDigest(database), before, 'nothing stored changed');
      // The session is still good: CSRF refusals do not end it.
      assert.equal((await office.get('/api/auth/me')).status, 200);
    } finally {
      await server.close();
    }
  });

  it('no GET route writes: every GET of the OpenAPI document answers 2xx to a role allowed to read it, and no GET, as any kind of user, changes a data table; every answer is no-store', async (database) => {
    const server = await createTestServer(database);
    try {
      const clients = await Promise.all(READERS.map((username) => server.as(username)));
      const office = clients[READERS.indexOf('office')]!;
      const reporter = clients[READERS.indexOf('huanping')]!;
      const routes = (await routesOf(server, office)).filter((route) => route.startsWith('GET '));
      const values = await readableThings(server, office, reporter, clients[READERS.indexOf('sysadmin')]!);
      const spec = (await office.get('/api/openapi.json')).body as {
        paths: Record<string, { get?: { parameters?: { in: string; name: string; required?: boolean }[] } }>;
      };
      const before = await dataDigest(database);
      const cached: string[] = [];
      const unexpected: string[] = [];
      const reached = new Set<string>();
      const noWayIn: string[] = [];
      const lastAuditId = async () =>
        Number((await database.db.selectFrom('audit_events').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())?.id ?? 0);
      const urls = new Map<string, string[]>();
      for (const route of routes) {
        const template = route.slice(4);
        const required = (spec.paths[template]?.get?.parameters ?? []).filter(
          (parameter) => parameter.in === 'query' && (parameter.required || QUERY_BY_ROUTE[route]?.includes(parameter.name)),
        );
        const missing = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!).filter((name) => !(name in values));
        for (const parameter of required) if (!(parameter.name in QUERY_VALUES)) missing.push(`?${parameter.name}`);
        if (missing.length) noWayIn.push(`${route}: no value for ${missing.join(', ')} (add one to readableThings or QUERY_VALUES)`);
        else
          urls.set(
            route,
            urlsOf(
              template,
              values,
              required.map((parameter) => parameter.name),
            ),
          );
      }
      for (const client of [...clients, server.anonymous()])
        for (const [route, candidates] of urls)
          for (const url of candidates) {
            const since = await lastAuditId();
            const response = await client.get(url);
            if (response.status >= 200 && response.status < 300 && client.session) reached.add(route);
            if (response.headers['cache-control'] !== 'no-store') cached.push(`${route} → ${response.status} ${String(response.headers['cache-control'])}`);
            const written = await database.db.selectFrom('audit_events').select('action').where('id', '>', since).execute();
            for (const { action } of written) if (action !== 'access.denied' && !GET_AUDITED[route]?.includes(action)) unexpected.push(`${route} → ${action}`);
          }
      const unreached = routes.filter((route) => !reached.has(route) && !noWayIn.some((line) => line.startsWith(`${route}:`)));
      console.log(
        `no GET writes: ${reached.size} of ${routes.length} GET routes answered 2xx to a signed-in reader (${READERS.length} accounts), on ${database.dialect}`,
      );
      assert.deepEqual(noWayIn, [], 'GET routes the test has no path or query values for');
      assert.deepEqual(unreached, [], 'GET routes no account answered with a 2xx: give the test a way in (a reader in READERS, the data in readableThings)');
      assert.equal(reached.size, routes.length);
      assert.deepEqual(cached, [], 'API answers without Cache-Control: no-store');
      assert.deepEqual(await dataDigest(database), before, 'a GET changed stored data');
      assert.deepEqual(unexpected, [], 'a GET wrote an audit row its route is not listed for in GET_AUDITED');
    } finally {
      await server.close();
    }
  });

  it('sends a strict CSP, frame-ancestors none, nosniff, a referrer policy, and HSTS only behind TLS', async (database) => {
    for (const tls of [false, true]) {
      const server = await createTestServer(database, { demoPlan: false, config: { tls } });
      try {
        for (const response of [
          await server.anonymous().get('/api/health'),
          await server.anonymous().get('/api/auth/me'),
          await server.anonymous().get('/index.html'),
        ]) {
          const csp = String(response.headers['content-security-policy']);
          assert.match(csp, /default-src 'self'/);
          assert.match(csp, /script-src 'self'(;|$)/, 'scripts from this origin only: no inline, no eval');
          assert.match(csp, /object-src 'none'/);
          assert.match(csp, /frame-ancestors 'none'/);
          assert.equal(response.headers['x-frame-options'], 'DENY');
          assert.equal(response.headers['x-content-type-options'], 'nosniff');
          assert.equal(response.headers['referrer-policy'], 'no-referrer');
          if (tls) assert.match(String(response.headers['strict-transport-security']), /max-age=31536000/);
          else assert.equal(response.headers['strict-transport-security'], undefined, 'no HSTS on plain http');
        }
      } finally {
        await server.close();
      }
    }
  });

  it('a body over the 1 MB cap is 413 with a clear message, on public and signed-in writes, and nothing is stored', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const before = await dataDigest(database);
      const big = 'x'.repeat(1024 * 1024 + 1);
      for (const response of [
        await server.anonymous().post('/api/auth/login', { username: 'office', password: big }),
        await office.post(`/api/plans/${server.planId}/rounds`, { label: big }),
      ]) {
        assert.equal(response.status, 413);
        assert.equal(response.body.error.code, 'payload_too_large');
        assert.match(response.body.error.message, /^提交的内容过大/);
        assert.equal(response.headers['cache-control'], 'no-store');
      }
      assert.deepEqual(await dataDigest(database), before);
    } finally {
      await server.close();
    }
  });
});
