import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateClientTypes, openApiDocument, SCHEMA_FILE } from './openapi-client.ts';

/**
 * src/web/lib/api-schema.ts is generated from the routes and committed (decision 041): a route
 * whose schema changed without `npm run generate:client` fails here, before the web app is built
 * against types the server no longer answers with.
 */
describe('the web app’s generated API types', () => {
  it('match the routes (else: npm run generate:client)', async () => {
    const document = await openApiDocument();
    const generated = await generateClientTypes(document);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    assert.ok(committed === generated, 'src/web/lib/api-schema.ts 与路由的模式不一致：请运行 npm run generate:client 并提交');

    // The comparison can fail: a route taken out of the document is a different file.
    const { ['/api/rounds/{roundId}/board']: board, ...otherPaths } = document.paths ?? {};
    assert.ok(board, 'the board route is in the document');
    const without = await generateClientTypes({ ...document, paths: otherPaths });
    assert.notEqual(without, committed);
    assert.ok(committed.includes("'/api/rounds/{roundId}/board': {") && !without.includes("'/api/rounds/{roundId}/board': {"));
  });

  it('type ids in paths and query strings as numbers, other parameters as the schema says', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    assert.match(
      committed,
      /'\/api\/rounds\/\{roundId\}\/board': \{[^]*?get: \{\s+parameters: \{\s+query\?: never;\s+header\?: never;\s+path: \{\s+roundId: number;/,
    );
    assert.match(committed, /includeVoid\?: '0' \| '1';/);
    assert.match(committed, /jobId: string;/);
  });
});
