import type { LightMyRequestResponse } from 'fastify';
import { systemActor } from '../../src/domain/actor.ts';
import type { SessionView } from '../../src/domain/api/session.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/database.ts';
import { buildApp } from '../../src/server/http/app.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/server/http/session-cookie.ts';
import type { ApiApp } from '../../src/server/http/types.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { createOrganisationDirectory, type Directory } from '../../src/server/organisations/directory.ts';
import { loadDemoOrganisations } from '../../src/server/organisations/demo-organisations.ts';
import type { Services } from '../../src/server/services/index.ts';
import { totpCode } from '../../src/server/services/totp.service.ts';

/**
 * The API in-process over a test database (from `forEachEngine`), with the demo data loaded:
 * the seed plan and its round, and every demo account (`office`, `leader`, `huanping`,
 * `huanping-head`, `guicai`, `shuichu`, `shengtai`, `daqi`, `sysadmin`, `secadmin`, `auditor`;
 * password DEMO_PASSWORD). Requests go through `app.inject`: no port, no network.
 *
 *   const server = await createTestServer(database);
 *   const office = await server.as('office');
 *   const { status, body } = await office.post(`/api/plans/${planId}/rounds`, { label: '2017年第三季度' });
 *   await server.close();
 */

/** Answers are read ad hoc in tests (`body.error.code`); pass a view type for checked access. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

export type TestResponse<T = Json> = {
  status: number;
  /** Parsed JSON; the raw text when the answer is not JSON; null when empty. */
  body: T;
  headers: LightMyRequestResponse['headers'];
  text: string;
  /** The answer's bytes as sent (files: .docx, .xlsx, .pdf). */
  raw: Buffer;
};

type Headers = Record<string, string>;

export type TestClient = {
  /** The session as the login answered it; null for `anonymous()`. */
  session: SessionView | null;
  /** `diaodu_session=<token>`, or '' for an anonymous client. */
  cookie: string;
  get<T = Json>(path: string, headers?: Headers): Promise<TestResponse<T>>;
  delete<T = Json>(path: string, headers?: Headers): Promise<TestResponse<T>>;
  post<T = Json>(path: string, body?: unknown, headers?: Headers): Promise<TestResponse<T>>;
  put<T = Json>(path: string, body?: unknown, headers?: Headers): Promise<TestResponse<T>>;
  patch<T = Json>(path: string, body?: unknown, headers?: Headers): Promise<TestResponse<T>>;
  /** Any request; writes carry the CSRF token unless `headers` override it. */
  request<T = Json>(method: string, path: string, body?: unknown, headers?: Headers): Promise<TestResponse<T>>;
};

/** A client of `as(username)`: its session is known. */
export type SignedInClient = TestClient & { session: SessionView };

/** An organisation of the test server's directory, with its store and services. */
export type TestOrganisation = { id: number; code: string; name: string; database: Database; services: Services };

/** `as(username, { organisation: 'demo-city' })`: log in to another organisation (decision 028). */
export type LoginOptions = { organisation?: string; password?: string };

export type TestServer = {
  app: ApiApp;
  /** The home organisation's services (what every test used before organisations). */
  services: Services;
  config: Config;
  /** Every organisation's store and services. */
  directory: Directory;
  /** An organisation by its code (`home`, `demo-city`), its store open. */
  organisation(code: string): Promise<TestOrganisation>;
  /** The demo city bureau's plan and round (with `demoCity: true`), else null. */
  city: { id: number; planId: number; roundId: number } | null;
  /**
   * A signed-in client for a demo account (or any account, with its password). Throws if login
   * fails. The three admin roles need TOTP (decision 010): the first `as('sysadmin')` enrols a
   * second factor through the API and later ones log in with a code computed from it, so a test
   * gets a full admin session. tests/integration/identity*.test.ts test that flow itself.
   */
  as(username: string, passwordOrOptions?: string | LoginOptions): Promise<SignedInClient>;
  /** The TOTP secret (base32) `as()` enrolled for an admin account, if any. */
  totpSecretOf(username: string): string | undefined;
  /** A client with no session. */
  anonymous(): TestClient;
  /** Plan id of the seed (null with `demoPlan: false`). */
  planId: number | null;
  /** The seed's imported round (2017年第二季度). */
  roundId: number | null;
  close(): Promise<void>;
};

export type TestServerOptions = {
  /** The clock of every service (see `testClock`). */
  now?: () => Date;
  /** Config overrides (session timeouts, login lock …). */
  config?: Partial<Config>;
  /** Import the seed plan too (default true). Accounts are always seeded. */
  demoPlan?: boolean;
  /** Serve a built web app from this folder (default: none). */
  webRoot?: string | null;
  /**
   * Load the demo's second organisation too, the city bureau `demo-city` in a store of its own
   * (decision 028; default false: a store more per test costs a migration run).
   */
  demoCity?: boolean;
};

/** A clock tests move by hand: `clock.advance(31 * 60_000)`. */
export function testClock(start = '2026-03-02T08:00:00.000Z') {
  let current = new Date(start).getTime();
  const now = () => new Date(current);
  return Object.assign(now, {
    advance(ms: number) {
      current += ms;
    },
    set(iso: string) {
      current = new Date(iso).getTime();
    },
  });
}

export async function createTestServer(database: Database & { url?: string }, options: TestServerOptions = {}): Promise<TestServer> {
  const config: Config = { ...loadConfig({}), databaseUrl: 'sqlite::memory:', ...options.config };
  // The other organisations' stores sit beside the test database (a file beside it, a schema beside its schema).
  const directory = await createOrganisationDirectory({
    home: database,
    homeUrl: database.url ?? config.databaseUrl,
    config,
    ...(options.now ? { now: options.now } : {}),
  });
  const services = directory.home.services;
  const actor = systemActor('test');
  let planId: number | null = null;
  let roundId: number | null = null;
  let city: TestServer['city'] = null;
  if (options.demoPlan === false) await services.demo.seedAccounts(actor);
  else if (options.demoCity) {
    const loaded = await loadDemoOrganisations(directory, actor);
    planId = loaded.home.plan.outcome.planId;
    roundId = loaded.home.plan.outcome.roundId;
    city = { id: loaded.city.organisation.id, planId: loaded.city.plan.outcome.planId, roundId: loaded.city.plan.outcome.roundId };
  } else {
    const { plan } = await services.demo.loadDemoData(actor);
    planId = plan.outcome.planId;
    roundId = plan.outcome.roundId;
  }
  const app = await buildApp({ directory, config, logger: false, webRoot: options.webRoot ?? null });
  const clock = options.now ?? (() => new Date());
  const totpSecrets = new Map<string, string>();

  function client<S extends SessionView | null>(cookie: string, session: S): TestClient & { session: S } {
    const request = async (method: string, path: string, body?: unknown, headers: Headers = {}): Promise<TestResponse> => {
      const all: Headers = {};
      if (cookie) all.cookie = cookie;
      if (session && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) all[CSRF_HEADER] = session.csrfToken;
      if (body !== undefined) all['content-type'] = 'application/json';
      Object.assign(all, headers);
      const response = await app.inject({
        method: method.toUpperCase() as 'GET',
        url: path,
        headers: all,
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: response.statusCode, body: parseBody(response), headers: response.headers, text: response.body, raw: response.rawPayload };
    };
    return {
      session,
      cookie,
      request,
      get: (path, headers) => request('GET', path, undefined, headers),
      delete: (path, headers) => request('DELETE', path, undefined, headers),
      post: (path, body, headers) => request('POST', path, body, headers),
      put: (path, body, headers) => request('PUT', path, body, headers),
      patch: (path, body, headers) => request('PATCH', path, body, headers),
    };
  }

  async function organisation(code: string): Promise<TestOrganisation> {
    const record = await directory.findByCode(code);
    if (!record) throw new Error(`no organisation ${code}`);
    return {
      id: record.id,
      code: record.code,
      name: record.name,
      database: await directory.databaseOf(record.id),
      services: await directory.servicesOf(record.id),
    };
  }

  return {
    app,
    services,
    config,
    directory,
    organisation,
    city,
    planId,
    roundId,
    anonymous: () => client('', null),
    async as(username, passwordOrOptions = {}) {
      const options: LoginOptions = typeof passwordOrOptions === 'string' ? { password: passwordOrOptions } : passwordOrOptions;
      const password = options.password ?? DEMO_PASSWORD;
      const store = options.organisation === undefined ? database : (await organisation(options.organisation)).database;
      // TOTP secrets are per organisation: two organisations may both have a `sysadmin`.
      const secretKey = `${options.organisation ?? ''}/${username}`;
      const secret = totpSecrets.get(secretKey);
      if (secret) {
        // Every helper login uses the current code; the replay guard would refuse the second
        // one within 30 s, so the helper forgets the last used step (identity tests do not).
        await store.db.updateTable('users').set({ totp_last_step: null }).where('username', '=', username).execute();
      }
      const organisationField = options.organisation === undefined ? {} : { organisation: options.organisation };
      const payload = secret ? { username, password, code: totpCode(secret, clock()), ...organisationField } : { username, password, ...organisationField };
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
      if (response.statusCode !== 200) throw new Error(`test login as ${username} failed: ${response.statusCode} ${response.body}`);
      const token = response.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
      if (!token) throw new Error(`test login as ${username}: no ${SESSION_COOKIE} cookie`);
      let session = response.json() as SessionView;
      if (session.restriction === 'totp_enrolment') {
        const pending = client(`${SESSION_COOKIE}=${token}`, session);
        const enrol = await pending.post('/api/auth/totp/enrol');
        if (enrol.status !== 200) throw new Error(`test TOTP enrolment of ${username} failed: ${enrol.status} ${enrol.text}`);
        const confirm = await pending.post('/api/auth/totp/confirm', { code: totpCode(enrol.body.secret, clock()) });
        if (confirm.status !== 200) throw new Error(`test TOTP confirmation of ${username} failed: ${confirm.status} ${confirm.text}`);
        totpSecrets.set(secretKey, enrol.body.secret);
        session = confirm.body as SessionView;
      }
      return client(`${SESSION_COOKIE}=${token}`, session);
    },
    totpSecretOf: (username) => totpSecrets.get(`/${username}`),
    close: async () => {
      await app.close();
      await directory.close();
    },
  };
}

function parseBody(response: LightMyRequestResponse): unknown {
  if (response.body === '') return null;
  if (String(response.headers['content-type'] ?? '').includes('json')) return response.json();
  return response.body;
}
