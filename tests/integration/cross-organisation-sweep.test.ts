import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ROLE_LABELS } from '../../src/domain/api/roles.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { Database } from '../../src/server/db/database.ts';
import { DEMO_ACCOUNTS, DEMO_CITY, DEMO_CITY_ACCOUNTS, DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { attachmentBody, ATTACHMENT_BOUNDARY, attachmentFiles } from '../support/attachment-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type Json, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * The cross-organisation sweep (issue 14's acceptance, decision 028). With the demo's two
 * organisations, every route and method of the OpenAPI document is called by every role of
 * organisation B with organisation A's ids in its path and a plausible body; then
 *   1. A's store is unchanged, table by table, row by row (its audit log too), and
 *   2. no answer to B carries any of A's marker strings (unit, leader and account names, task texts),
 * and the same from A towards B. The routes come from the document, so a new route is swept as
 * soon as it exists; a path parameter the sweep cannot fill fails the test until it is mapped.
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Side = {
  code: string;
  label: string;
  /** Accounts of each role, business roles first: an admin's writes (disable, role change) come last. */
  accounts: string[];
  login: { organisation?: string };
  office: string;
  leader: string;
  reporter: string;
  database: Database;
  /** Its id in the registry (the platform administrator's archive route takes it: the registry is the home store's, not A's). */
  organisationId: number;
};

/** A's ids, by the names of the path parameters that take them. */
type Ids = Record<string, string>;

async function dump(database: Database): Promise<Record<string, unknown[]>> {
  const tables =
    database.dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(database.db)).rows.map((row) => row.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
            database.db,
          )
        ).rows.map((row) => row.name);
  const result: Record<string, unknown[]> = {};
  // rate_limit_hits is the deployment's, not an organisation's: on PostgreSQL the rate limiter counts
  // every organisation's requests in the home store, keyed by organisation and user (decision 040).
  for (const table of tables.filter((name) => name !== 'rate_limit_hits')) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db);
    // Every row as text, sorted: the order rows come back in is no change.
    result[table] = rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value))).sort();
  }
  return result;
}

/**
 * Strings only A's data holds: its units, leaders and departments, task texts, account names, the
 * answers (progress entries), instructions and evidence files (names, and bytes that are text)
 * its people wrote.
 */
async function markersOf(side: Side, baseline: string): Promise<string[]> {
  const db = side.database.db;
  const names = async (table: 'units' | 'leaders' | 'departments') => (await db.selectFrom(table).select('name').execute()).map((row) => row.name);
  const tasks = (await db.selectFrom('tasks').select('text').execute()).map((row) => row.text);
  const users = await db.selectFrom('users').select(['username', 'display_name']).execute();
  const answers = (await db.selectFrom('progress_entries').select('text').execute()).map((row) => row.text);
  const instructions = (await db.selectFrom('instructions').select('text').execute()).map((row) => row.text);
  const attachments = await db.selectFrom('answer_attachments').select(['file_name', 'content']).execute();
  // The bytes as a download's answer text would show them, where they are text (the sweep's PDFs are).
  const textOf = (bytes: Uint8Array) => {
    const text = Buffer.from(bytes).toString('utf8');
    return Buffer.from(text, 'utf8').equals(Buffer.from(bytes)) ? [text] : [];
  };
  const candidates = [
    ...(await names('units')),
    ...(await names('leaders')),
    ...(await names('departments')),
    ...tasks,
    ...users.flatMap((user) => [user.username, user.display_name]),
    ...answers,
    ...instructions,
    ...attachments.flatMap((attachment) => [attachment.file_name, ...textOf(attachment.content)]),
  ];
  const labels = Object.values(ROLE_LABELS);
  // A word B's own data or the API's own vocabulary holds too (a role word, `office`) proves nothing.
  return [...new Set(candidates)].filter((marker) => [...marker].length >= 2 && !baseline.includes(marker) && !labels.some((label) => label.includes(marker)));
}

/** A's ids: its plan, the open round set up below, a task and unit of it, an account, an instruction, an attachment, a notification, an export job. */
async function prepare(server: TestServer, side: Side): Promise<Ids> {
  // Each side's own words, so that A's draft, instruction or file showing up in B's answers is seen.
  const answerText = `${side.label}（${side.code}）本季度推进顺利。`;
  const instructionText = `请${side.label}（${side.code}）抓紧推进。`;
  const attachmentName = `佐证-${side.code}.pdf`;
  const attachmentNote = `佐证 ${side.label} ${side.code}`;
  const office = await server.as(side.office, side.login);
  const plans = await office.get('/api/plans');
  const planId = plans.body[0].id as number;
  const opened = await office.post(`/api/plans/${planId}/rounds`, {
    label: '2026年第二季度',
    periodStart: '2026-04-01',
    periodEnd: '2026-06-30',
    deadline: '2099-07-10',
    note: null,
  });
  assert.equal(opened.status, 201, opened.text);
  const roundId = opened.body.id as number;
  const reporter = await server.as(side.reporter, side.login);
  const unitId = reporter.session.user.unit!.id;
  const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  assert.equal(todo.status, 200, todo.text);
  const taskId = todo.body.items[0].task.id as number;
  const saved = await reporter.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, { text: answerText, version: 0 });
  assert.equal(saved.status, 200, saved.text);
  const upload = await server.app.inject({
    method: 'POST',
    url: `/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/attachments`,
    headers: { cookie: reporter.cookie, 'x-csrf-token': reporter.session.csrfToken, 'content-type': `multipart/form-data; boundary=${ATTACHMENT_BOUNDARY}` },
    payload: attachmentBody(attachmentName, attachmentFiles.pdf(attachmentNote)),
  });
  assert.equal(upload.statusCode, 200, upload.body);
  const attachmentId = upload.json().attachments?.[0]?.id ?? upload.json().id;
  const leader = await server.as(side.leader, side.login);
  const instruction = await leader.post(`/api/tasks/${taskId}/instructions`, { text: instructionText, roundId });
  assert.equal(instruction.status, 201, instruction.text);
  const notifications = await reporter.get('/api/notifications');
  const notificationId = notifications.body.items?.[0]?.id ?? notifications.body[0]?.id;
  const job = await office.post(`/api/rounds/${roundId}/exports`, { format: 'json' });
  assert.equal(job.status, 202, job.text);
  // The job writes its audit row when it finishes: before the snapshot, not during the sweep.
  let status = 'queued';
  for (let i = 0; i < 400 && ['queued', 'running'].includes(status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    status = (await office.get(`/api/exports/${job.body.jobId}`)).body.status;
  }
  assert.equal(status, 'done');
  // 请说明 (issue 15): the office asks the reporter's unit about its answer.
  const explanation = await office.post(`/api/rounds/${roundId}/explanations`, { taskId, unitId, kind: 'no_new_facts', message: `请${side.label}说明进展。` });
  assert.equal(explanation.status, 201, explanation.text);
  const userId = office.session.user.id;
  const structure = await office.get(`/api/plans/${planId}/structure`);
  assert.equal(structure.status, 200, structure.text);
  const chapter = structure.body.chapters[0];
  return {
    chapterId: String(chapter.id),
    sectionId: String(chapter.sections[0].id),
    planId: String(planId),
    roundId: String(roundId),
    taskId: String(taskId),
    unitId: String(unitId),
    userId: String(userId),
    instructionId: String(instruction.body.id),
    id: String(attachmentId),
    notificationId: String(notificationId ?? 1),
    jobId: String(job.body.jobId),
    explanationId: String(explanation.body.id),
    organisationId: String(side.organisationId),
    // The roll-up's drill-down (decision 030): only the home organisation's supervisor may read its counts, never a name or text.
    code: side.code,
    // An indicator's key (issue 15): a decision on another organisation's task must find nothing to decide.
    key: 'sweep-key',
  };
}

/** A plausible value for a JSON schema: A's ids where a field names one, a text elsewhere. */
function valueOf(schema: Json, name: string, ids: Ids): unknown {
  if (!schema || typeof schema !== 'object') return 'x';
  if (schema.anyOf || schema.oneOf) return valueOf((schema.anyOf ?? schema.oneOf).find((s: Json) => s.type !== 'null') ?? {}, name, ids);
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    const result: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) result[key] = valueOf(sub, key, ids);
    return result;
  }
  if (type === 'array') return [valueOf(schema.items ?? {}, name.replace(/s$/, ''), ids)];
  if (type === 'integer' || type === 'number') {
    const idName = name === 'taskId' || name === 'unitId' || name === 'roundId' || name === 'planId' || name === 'userId' ? name : `${name}Id`;
    if (ids[idName]) return Number(ids[idName]);
    return name === 'version' ? 1 : 1;
  }
  if (type === 'boolean') return true;
  if (/deadline|date|Start|End|from|to|At$/i.test(name)) return '2099-07-10';
  if (name === 'code') return 'sweep-town';
  if (name === 'username' || name === 'adminUsername') return 'sweep-user';
  return `核查${name}`;
}

type Call = { route: string; role: string; status: number };

async function sweep(server: TestServer, spec: Json, b: Side, a: Side, ids: Ids, markers: string[]): Promise<{ calls: Call[]; leaks: string[] }> {
  const calls: Call[] = [];
  const leaks: string[] = [];
  const routes: { method: string; template: string; operation: Json }[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Record<string, Json>>))
    for (const method of METHODS) if (item[method]) routes.push({ method, template, operation: item[method] });
  // Logging out ends the session the rest of the sweep uses: it goes last.
  routes.sort((x, y) => Number(x.template === '/api/auth/logout') - Number(y.template === '/api/auth/logout'));

  for (const username of b.accounts) {
    let client: SignedInClient = await server.as(username, b.login);
    for (const { method, template, operation } of routes) {
      const url = template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
        const id = ids[name];
        if (id === undefined)
          throw new Error(
            `the sweep has no id of organisation ${a.label} for the path parameter {${name}} of ${method.toUpperCase()} ${template}: map it in prepare()`,
          );
        return id;
      });
      const query = ((operation.parameters ?? []) as Json[])
        .filter((parameter) => parameter.in === 'query' && parameter.required)
        .map((parameter) => `${parameter.name}=${encodeURIComponent(String(valueOf(parameter.schema, parameter.name, ids)))}`)
        .join('&');
      const path = query ? `${url}?${query}` : url;
      const jsonSchema = operation.requestBody?.content?.['application/json']?.schema;
      let body: unknown = jsonSchema ? valueOf(jsonSchema, 'body', ids) : undefined;
      if (template === '/api/auth/login')
        body = { username: a.office, password: DEMO_PASSWORD, ...(b.login.organisation ? { organisation: b.login.organisation } : {}) };
      const send = async () => {
        if (method === 'post' && !operation.requestBody) {
          // Uploads (imports, returned tables, attachments): a small file.
          const response = await server.app.inject({
            method: 'POST',
            url: path,
            headers: {
              cookie: client.cookie,
              'x-csrf-token': client.session.csrfToken,
              'content-type': `multipart/form-data; boundary=${ATTACHMENT_BOUNDARY}`,
            },
            payload: attachmentBody('核查.pdf', attachmentFiles.pdf()),
          });
          return { status: response.statusCode, text: response.body };
        }
        const response = await client.request(method, path, method === 'get' || method === 'delete' ? undefined : (body ?? {}));
        return { status: response.status, text: response.text };
      };
      let answer = await send();
      // A write of B's own admin may have ended this session (a disabled or reset account): sign in again.
      if (answer.status === 401 && template !== '/api/auth/logout') {
        try {
          client = await server.as(username, b.login);
          answer = await send();
        } catch {
          // The account itself was disabled by B's admin: B's business, not a leak.
        }
      }
      if (template === '/api/auth/login') assert.notEqual(answer.status, 200, `${a.label}'s ${a.office} logged in to ${b.label}`);
      calls.push({ route: `${method.toUpperCase()} ${template}`, role: username, status: answer.status });
      for (const marker of markers)
        if (answer.text.includes(marker))
          leaks.push(`${b.label} ${username} ${method.toUpperCase()} ${path} → ${answer.status} carries ${a.label}'s “${marker.slice(0, 30)}”`);
    }
  }
  return { calls, leaks };
}

forEachEngine('cross-organisation sweep', (it) => {
  it('no route, called by any role of one organisation with the other’s ids, reads or changes the other organisation’s data', async (database) => {
    // The sweep's own refused logins (A's account in B) must not throttle its address.
    const server = await createTestServer(database, { demoCity: true, config: { login: { ...loadConfig({}).login, ipMaxFailures: 10_000 } } });
    try {
      const city = await server.organisation(DEMO_CITY.code);
      const home: Side = {
        code: 'home',
        label: '厅',
        accounts: [
          ...DEMO_ACCOUNTS.filter((account) => !['system_admin', 'platform_admin'].includes(account.role)),
          ...DEMO_ACCOUNTS.filter((account) => ['system_admin', 'platform_admin'].includes(account.role)),
        ].map((account) => account.username),
        login: {},
        office: 'office',
        leader: 'leader',
        reporter: 'huanping',
        database,
        organisationId: 1,
      };
      const town: Side = {
        code: DEMO_CITY.code,
        label: '示例市',
        accounts: [
          ...DEMO_CITY_ACCOUNTS.filter((account) => account.role !== 'system_admin'),
          ...DEMO_CITY_ACCOUNTS.filter((account) => account.role === 'system_admin'),
        ].map((account) => account.username),
        login: { organisation: DEMO_CITY.code },
        office: 'city-office',
        leader: 'city-leader',
        reporter: 'city-reporter',
        database: city.database,
        organisationId: city.id,
      };
      const homeIds = await prepare(server, home);
      const cityIds = await prepare(server, town);
      const spec = (await (await server.as('office')).get('/api/openapi.json')).body;
      const documented = Object.values(spec.paths as Record<string, Json>).reduce(
        (sum: number, item: Json) => sum + METHODS.filter((method) => item[method]).length,
        0,
      );
      assert.ok(documented >= 85, `the document lists ${documented} routes`);
      // The organisations' names are public (the login page lists them): no marker of either.
      const specText = JSON.stringify(spec) + (await server.anonymous().get('/api/auth/organisations')).text;

      // Markers taken before either sweep: what a sweep writes into B (its own made-up names) is B's.
      // The login probe sends A's office account name to B, whose audit log then rightly holds it.
      const markersOfSide = async (a: Side, b: Side) =>
        (await markersOf(a, JSON.stringify(await dump(b.database)) + specText)).filter((marker) => marker !== a.office);
      const homeMarkers = await markersOfSide(home, town);
      const cityMarkers = await markersOfSide(town, home);
      // What prepare() wrote on each side is among its markers: a leak of it would be seen.
      for (const [side, markers] of [
        [home, homeMarkers],
        [town, cityMarkers],
      ] as const) {
        for (const written of [`${side.label}（${side.code}）本季度推进顺利。`, `请${side.label}（${side.code}）抓紧推进。`, `佐证-${side.code}.pdf`])
          assert.ok(markers.includes(written), `${side.label}'s markers lack “${written}”`);
        assert.ok(
          markers.some((marker) => marker.startsWith('%PDF') && marker.includes(`佐证 ${side.label} ${side.code}`)),
          `${side.label}'s markers lack its evidence file's bytes`,
        );
      }
      for (const [b, a, ids, markers] of [
        [town, home, homeIds, homeMarkers],
        [home, town, cityIds, cityMarkers],
      ] as const) {
        assert.ok(markers.length >= 10, `${a.label}: ${markers.length} markers`);
        const before = await dump(a.database);
        const { calls, leaks } = await sweep(server, spec, b, a, ids, markers);
        assert.deepEqual(leaks, [], `answers to ${b.label} carry ${a.label}'s data`);
        assert.equal(calls.length, documented * b.accounts.length, 'every documented route called by every role');
        const after = await dump(a.database);
        for (const table of Object.keys({ ...before, ...after }))
          assert.deepEqual(after[table], before[table], `${a.label}'s table ${table} changed by ${b.label}'s sweep`);
        // The sweep did reach real work on B's side, not only refusals.
        const succeeded = calls.filter((call) => call.status < 300).length;
        // (About a fifth succeed: most routes refuse most roles, and the other side's ids are unknown here.)
        assert.ok(succeeded > calls.length / 8, `${succeeded} of ${calls.length} calls succeeded`);
      }
    } finally {
      await server.close();
    }
  });
});
