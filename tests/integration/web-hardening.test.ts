import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * Web hardening (QUALITY.md "Only the right people get in"): every write refuses a request
 * without the session's CSRF token, no GET writes, every /api answer says no-store, security
 * headers (CSP, frame-ancestors, nosniff, referrer policy; HSTS only behind TLS), and bodies
 * over the cap are 413 with a clear message. The routes come from the OpenAPI document, so a
 * route added later is checked without anyone remembering to.
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PUBLIC_ROUTES = new Set(['POST /api/auth/login', 'GET /api/health']);

/** Tables a GET may touch: the session's last use (idle timeout) and the audit log (checked on its own, GET_AUDITED). */
const BOOKKEEPING = new Set(['sessions', 'audit_events', 'kysely_migration', 'kysely_migration_lock']);

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

/** A digest of every table's contents but the bookkeeping ones, to see whether anything was written. */
async function dataDigest(database: Database): Promise<Record<string, string>> {
  const tables =
    database.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(database.db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(database.db)).rows.map(
          (r) => r.name,
        );
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
          if (response.statusCode !== 403 || response.json().error.code !== 'csrf_failed') accepted.push(`${route} (${token ?? 'no token'}) → ${response.statusCode}`);
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

  it('no GET route writes: every GET, as each kind of user, leaves every data table as it was; every answer is no-store', async (database) => {
    const server = await createTestServer(database);
    try {
      const clients = [await server.as('office'), await server.as('huanping'), await server.as('leader'), await server.as('auditor'), await server.as('supervisor')];
      const routes = (await routesOf(server, clients[0]!)).filter((route) => route.startsWith('GET '));
      const before = await dataDigest(database);
      const cached: string[] = [];
      const unexpected: string[] = [];
      const lastAuditId = async () => Number((await database.db.selectFrom('audit_events').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst())?.id ?? 0);
      for (const client of [...clients, server.anonymous()])
        for (const route of routes) {
          const url = urlOf(server, route.slice(4));
          const since = await lastAuditId();
          const response = await client.get(url);
          if (response.headers['cache-control'] !== 'no-store') cached.push(`${route} → ${response.status} ${String(response.headers['cache-control'])}`);
          const written = await database.db.selectFrom('audit_events').select('action').where('id', '>', since).execute();
          for (const { action } of written) if (action !== 'access.denied' && !GET_AUDITED[route]?.includes(action)) unexpected.push(`${route} → ${action}`);
        }
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
        for (const response of [await server.anonymous().get('/api/health'), await server.anonymous().get('/api/auth/me'), await server.anonymous().get('/index.html')]) {
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
