import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, test } from 'node:test';
import { helmetMiddleware, securityHeaders } from './security-headers.ts';

/** What helmet's middleware sets on a real answer, the way it ran on every request before. */
function setOnRealAnswer(tls: boolean): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  response.setHeader('x-powered-by', 'something');
  let finished = false;
  helmetMiddleware({ tls })(request, response, (error) => {
    assert.equal(error, undefined);
    finished = true;
  });
  assert.ok(finished);
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}

describe('security headers made once', () => {
  for (const tls of [false, true])
    test(`are what helmet's middleware sets on an answer (${tls ? 'behind TLS' : 'plain http'})`, () => {
      const table = securityHeaders({ tls });
      assert.deepEqual({ ...table }, setOnRealAnswer(tls));
      assert.ok(Object.isFrozen(table));
      assert.match(table['content-security-policy']!, /frame-ancestors 'none'/);
      assert.equal(table['x-frame-options'], 'DENY');
      assert.equal('strict-transport-security' in table, tls);
      assert.equal(/upgrade-insecure-requests/.test(table['content-security-policy']!), tls);
    });
});
