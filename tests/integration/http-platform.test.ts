import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { createTestServer, type TestServerOptions } from '../support/test-server.ts';

const server = (database: TestDatabase, options: TestServerOptions = {}) => createTestServer(database, { demoPlan: false, ...options });

/** The only routes anyone may call without a session (docs/promises.md), and the login page's list of organisations (decision 028). */
const PUBLIC_ROUTES = new Set(['POST /api/auth/login', 'GET /api/health', 'GET /api/auth/organisations']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const APP_JS = `export const pages = ${JSON.stringify(Array.from({ length: 200 }, (_, index) => `第${index + 1}页`))};\n`;

forEachEngine('HTTP: the platform', (it) => {
  it('GET /api/health is public', async (database) => {
    const app = await server(database);
    try {
      const response = await app.anonymous().get('/api/health');
      assert.equal(response.status, 200);
      assert.equal(response.body.status, 'ok');
    } finally {
      await app.close();
    }
  });

  it('every route in /api/openapi.json except login and health answers 401 without a session', async (database) => {
    const app = await server(database);
    try {
      const office = await app.as('office');
      const spec = await office.get('/api/openapi.json');
      assert.equal(spec.status, 200);
      assert.equal(spec.body.openapi, '3.1.0');
      const routes: string[] = [];
      for (const [template, item] of Object.entries(spec.body.paths as Record<string, Record<string, unknown>>))
        for (const method of METHODS) if (item[method]) routes.push(`${method.toUpperCase()} ${template}`);
      assert.ok(routes.includes('GET /api/auth/me') && routes.includes('POST /api/auth/logout'), routes.join('\n'));
      for (const route of PUBLIC_ROUTES) assert.ok(routes.includes(route), `${route} is documented`);

      const anonymous = app.anonymous();
      const open: string[] = [];
      for (const route of routes) {
        if (PUBLIC_ROUTES.has(route)) continue;
        const [method = 'GET', template = ''] = route.split(' ');
        const url = template.replace(/\{[^}]+\}/g, '1');
        const response = await anonymous.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
        if (response.status !== 401 || response.body?.error?.code !== 'unauthenticated') open.push(`${route} → ${response.status}`);
      }
      assert.deepEqual(open, [], 'routes reachable without a session');
      // The documents themselves, hidden from the spec, need a session too.
      for (const url of ['/api/openapi.json', '/api/docs', '/api/docs/json', '/api/nonexistent']) assert.equal((await anonymous.get(url)).status, 401, url);
    } finally {
      await app.close();
    }
  });

  it('a body that fails its schema is 400 in the error envelope, naming the field', async (database) => {
    const app = await server(database);
    try {
      const anonymous = app.anonymous();
      const wrongType = await anonymous.post('/api/auth/login', { username: 42, password: 'x' });
      assert.equal(wrongType.status, 400);
      assert.equal(wrongType.body.error.code, 'validation_failed');
      assert.match(wrongType.body.error.message, /body\.username/);
      assert.equal(wrongType.body.error.details.issues[0].field, 'body.username');

      const missing = await anonymous.post('/api/auth/login', { username: 'office' });
      assert.equal(missing.status, 400);
      assert.deepEqual(
        missing.body.error.details.issues.map((issue: { field: string }) => issue.field),
        ['body.password'],
      );

      const brokenJson = await anonymous.post('/api/auth/login', '{"username": ');
      assert.equal(brokenJson.status, 400);
      assert.equal(brokenJson.body.error.code, 'bad_request');

      const tooLarge = await anonymous.post('/api/auth/login', { username: 'office', password: 'x'.repeat(2 * 1024 * 1024) });
      assert.equal(tooLarge.status, 413);
      assert.equal(tooLarge.body.error.code, 'payload_too_large');
    } finally {
      await app.close();
    }
  });

  it('API answers are never cached, carry security headers, and unknown API paths are 404 in the envelope', async (database) => {
    const app = await server(database);
    try {
      const office = await app.as('office');
      for (const response of [await office.get('/api/auth/me'), await app.anonymous().get('/api/auth/me'), await app.anonymous().get('/api/health')]) {
        assert.equal(response.headers['cache-control'], 'no-store');
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
        assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
        assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
      }
      const missing = await office.get('/api/no-such-thing');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'not_found');
      assert.equal(missing.headers['cache-control'], 'no-store');
      assert.match(String(missing.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(missing.headers['x-frame-options'], 'DENY');
    } finally {
      await app.close();
    }
  });

  it('the API docs page is served to a signed-in user', async (database) => {
    const app = await server(database);
    try {
      const office = await app.as('office');
      const page = await office.get('/api/docs/');
      assert.equal(page.status, 200, page.text.slice(0, 200));
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.doesNotMatch(String(page.headers['content-security-policy']), /upgrade-insecure-requests/, 'no https upgrade on plain http');
    } finally {
      await app.close();
    }
  });

  it('serves the built web app with an SPA fallback; missing files and API paths stay 404/401', async (database) => {
    const webRoot = mkdtempSync(path.join(tmpdir(), 'diaodu-web-'));
    mkdirSync(path.join(webRoot, 'assets'));
    writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>diaodu</title><div id="root"></div>');
    writeFileSync(path.join(webRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(webRoot, 'index.html.br'), brotliCompressSync('<!doctype html><title>diaodu</title><div id="root"></div>'));
    const appBr = brotliCompressSync(APP_JS);
    const appGz = gzipSync(APP_JS);
    writeFileSync(path.join(webRoot, 'assets', 'app-def456.js'), APP_JS);
    writeFileSync(path.join(webRoot, 'assets', 'app-def456.js.br'), appBr);
    writeFileSync(path.join(webRoot, 'assets', 'app-def456.js.gz'), appGz);
    const app = await server(database, { webRoot });
    try {
      const anonymous = app.anonymous();
      const root = await anonymous.get('/');
      assert.equal(root.status, 200);
      assert.match(root.text, /<title>diaodu<\/title>/);

      for (const page of ['/rounds/3/board', '/login', '/plans/1?unit=2']) {
        const response = await anonymous.get(page);
        assert.equal(response.status, 200, page);
        assert.match(response.text, /<div id="root">/, page);
        assert.match(String(response.headers['content-type']), /text\/html/, page);
        assert.equal(response.headers['cache-control'], 'no-cache', `${page}: index.html is revalidated`);
      }

      const asset = await anonymous.get('/assets/index-abc123.js');
      assert.equal(asset.status, 200);
      assert.match(String(asset.headers['content-type']), /javascript/);
      assert.match(String(asset.headers['cache-control']), /immutable/);

      assert.equal((await anonymous.get('/assets/missing-123.js')).status, 404, 'a missing file is not answered with HTML');

      // Decision 038: the build's compressed copies, picked by Accept-Encoding, never made per request.
      const cases: [accept: string | undefined, encoding: string | undefined, why: string][] = [
        ['br, gzip, deflate', 'br', 'brotli first when both are taken'],
        ['gzip, deflate, br;q=0.5', 'gzip', 'the client prefers gzip'],
        ['gzip', 'gzip', 'gzip only'],
        ['deflate', undefined, 'no copy in a taken encoding: the file itself'],
        ['identity', undefined, 'identity'],
        [undefined, undefined, 'no Accept-Encoding'],
      ];
      for (const [accept, expected, why] of cases) {
        const response = await anonymous.get('/assets/app-def456.js', accept === undefined ? {} : { 'accept-encoding': accept });
        assert.equal(response.status, 200, why);
        assert.equal(response.headers['content-encoding'], expected, why);
        assert.match(String(response.headers['content-type']), /javascript/, `${why}: typed as the file, not as .br/.gz`);
        assert.match(String(response.headers.vary), /accept-encoding/i, `${why}: Vary keeps a shared cache from mixing them`);
        assert.match(String(response.headers['cache-control']), /immutable/, `${why}: a hashed asset is immutable whichever copy is sent`);
        const decoded = expected === 'br' ? brotliDecompressSync(response.raw) : expected === 'gzip' ? gunzipSync(response.raw) : response.raw;
        assert.equal(decoded.toString(), APP_JS, why);
        // The copy on disk is what was sent, byte for byte: nothing is compressed on the fly.
        if (expected) assert.ok(response.raw.equals(expected === 'br' ? appBr : appGz), why);
      }
      for (const page of ['/', '/login']) {
        const html = await anonymous.get(page, { 'accept-encoding': 'gzip, br' });
        assert.equal(html.status, 200, page);
        assert.equal(html.headers['content-encoding'], 'br', page);
        assert.match(String(html.headers['content-type']), /text\/html/, page);
        assert.equal(html.headers['cache-control'], 'no-cache', `${page}: index.html.br is revalidated like index.html`);
        assert.match(brotliDecompressSync(html.raw).toString(), /<title>diaodu<\/title>/, page);
      }
      // A file the build did not compress (too small to gain) is sent as it is.
      const small = await anonymous.get('/assets/index-abc123.js', { 'accept-encoding': 'br, gzip' });
      assert.equal(small.status, 200);
      assert.equal(small.headers['content-encoding'], undefined);
      assert.equal(small.text, 'console.log(1)');
      const api = await anonymous.get('/api/plans');
      assert.equal(api.status, 401, 'API paths never fall back to the web app');
      assert.equal(api.body.error.code, 'unauthenticated');
      assert.equal((await anonymous.post('/rounds/3', {})).status, 404, 'only GET falls back');
    } finally {
      await app.close();
      rmSync(webRoot, { recursive: true, force: true });
    }
  });

  it('without a built web app, page paths are 404 with a hint to build it', async (database) => {
    const app = await server(database, { webRoot: null });
    try {
      const response = await app.anonymous().get('/rounds/3/board');
      assert.equal(response.status, 404);
      assert.match(response.body.error.message, /npm run build:web/);
      // Nothing was audited for any of this: the audit log records actions, not 404s.
      assert.deepEqual(await createRepositories(database.db).audit.listAuditEvents({ action: 'access.denied' }), []);
    } finally {
      await app.close();
    }
  });
});
