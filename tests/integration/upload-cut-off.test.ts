import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { compileTable } from '../../src/domain/compiled-table.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { renderTableXlsx } from '../../src/server/documents/writers/table-xlsx.ts';
import { SEED_PATH } from '../fixtures/import/office-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { countRows } from '../support/db-inspection.ts';
import { openRound } from '../support/returned-table.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * docs/promises.md bad input 14, "an upload cut off half way (temporary file removed, clear error)":
 * POST /api/imports reads the upload into memory and never writes it to disk, so there is no
 * temporary file to leave behind; what must hold is a clear error naming the file, nothing
 * stored (not even an audit row), and a server that takes the whole file afterwards.
 */

const seed = readPlanDocument(readFileSync(SEED_PATH), 'seed.txt');
const BOUNDARY = '----diaodu-cut-off';
const FILE_NAME = '调度表.xlsx';

function partHead(fileName: string): Buffer {
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
}

function wholeUpload(bytes: Uint8Array): Buffer {
  return Buffer.concat([partHead(FILE_NAME), Buffer.from(bytes), Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
}

function headers(client: SignedInClient, length?: number): Record<string, string> {
  return {
    cookie: client.cookie,
    'x-csrf-token': client.session.csrfToken,
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  };
}

async function post(server: TestServer, client: SignedInClient, body: Buffer, query = '') {
  const response = await server.app.inject({ method: 'POST', url: `/api/imports${query}`, headers: headers(client), payload: body });
  return { status: response.statusCode, body: response.json() };
}

forEachEngine('an upload cut off half way', (it, engine) => {
  // The upload never reaches the database before it is whole: one engine shows it.
  if (engine !== 'sqlite') return;

  it('a body that ends inside the file is 422 naming the file; nothing is stored, not even an audit row; the whole file then imports', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const office = await server.as('office');
      const xlsx = await renderTableXlsx(compileTable(seed.document), seed.document.notice);
      const before = await countRows(database);
      // The browser or the network gave up after the first byte of the file, half of it, all but its last byte:
      // no closing boundary arrives. (A cut inside the part's own headers has its own test below.)
      const cuts = [1, Math.floor(xlsx.length / 2), xlsx.length - 1].map((n) => Buffer.concat([partHead(FILE_NAME), Buffer.from(xlsx).subarray(0, n)]));
      for (const [i, body] of cuts.entries())
        for (const query of ['', '?dryRun=1']) {
          const answer = await post(server, office, body, query);
          assert.equal(answer.status, 422, `cut ${i}${query}: ${JSON.stringify(answer.body)}`);
          assert.equal(answer.body.error.code, 'import_upload_incomplete');
          assert.match(answer.body.error.message, /^调度表\.xlsx：上传不完整/, 'says which file and what happened, in Chinese first');
        }
      assert.deepEqual(await countRows(database), before, 'nothing stored by a cut-off upload, the audit log included');

      const stored = await post(server, office, wholeUpload(xlsx));
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.outcome.status, 'created');
      assert.equal((await countRows(database)).tasks, 111);
    } finally {
      await server.close();
    }
  });

  it('a body that ends inside the file part’s own headers is 422 naming the upload, on the import and the returned-table route alike; nothing is stored', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = await openRound(server);
      const reporter = await server.as('huanping');
      const unitId = reporter.session.user.unit!.id;
      const head = partHead(FILE_NAME);
      // Busboy has not reached the blank line that ends the part's headers, so no file name is known yet:
      // the first 40 bytes, the boundary line alone, all the headers but their closing blank line.
      const cuts = [head.subarray(0, 40), head.subarray(0, `--${BOUNDARY}\r\n`.length), head.subarray(0, head.length - 2)];
      const routes = [
        { client: office, url: '/api/imports', code: 'import_upload_incomplete' },
        { client: office, url: '/api/imports?dryRun=1', code: 'import_upload_incomplete' },
        { client: reporter, url: `/api/rounds/${roundId}/units/${unitId}/returned-table?mode=preview`, code: 'returned_table_upload_incomplete' },
        { client: reporter, url: `/api/rounds/${roundId}/units/${unitId}/returned-table?mode=apply`, code: 'returned_table_upload_incomplete' },
      ];
      const before = await countRows(database);
      for (const route of routes)
        for (const [i, body] of cuts.entries()) {
          const response = await server.app.inject({ method: 'POST', url: route.url, headers: headers(route.client), payload: body });
          const answer = { status: response.statusCode, body: response.json() };
          assert.equal(answer.status, 422, `${route.url}, cut ${i}: ${JSON.stringify(answer.body)}`);
          assert.equal(answer.body.error.code, route.code, `${route.url}, cut ${i}`);
          assert.match(
            answer.body.error.message,
            /^上传的文件：上传不完整，请重新上传/,
            'names the upload (its name never arrived) and says what happened, in Chinese first',
          );
        }
      assert.deepEqual(await countRows(database), before, 'nothing stored, the audit log included');
    } finally {
      await server.close();
    }
  });

  it('a connection dropped half way through the upload stores nothing, and the server goes on serving', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const office = await server.as('office');
      const whole = wholeUpload(await renderTableXlsx(compileTable(seed.document), seed.document.notice));
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const address = server.app.server.address();
      assert.ok(address && typeof address === 'object');
      const before = await countRows(database);

      // The request as it reaches the server, so the test waits until the server has seen it end.
      const arrived = new Promise<IncomingMessage>((resolve) => server.app.server.once('request', resolve));
      const socket = connect(address.port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      const head = Object.entries({ host: `127.0.0.1:${address.port}`, ...headers(office, whole.length) })
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      socket.write(`POST /api/imports HTTP/1.1\r\n${head}\r\n\r\n`);
      socket.write(whole.subarray(0, Math.floor(whole.length / 2)));
      const request = await arrived;
      const ended = new Promise<void>((resolve) => request.once('close', () => resolve()));
      socket.destroy();
      await ended;

      assert.deepEqual(await countRows(database), before, 'a dropped upload stores nothing');
      const health = await fetch(`http://127.0.0.1:${address.port}/api/health`);
      assert.equal(health.status, 200, 'the server still answers');
      const stored = await post(server, office, whole);
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.outcome.status, 'created', 'the same file, sent whole, imports');
    } finally {
      await server.close();
    }
  });
});
