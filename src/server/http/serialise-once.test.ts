import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { z } from 'zod';
import { serialiseOnce } from './serialise-once.ts';

test('serialiseOnce: checked against the schema, encoded once per object, sent as JSON', async () => {
  const schema = z.object({ id: z.number().int(), name: z.string() });
  const send = serialiseOnce(schema, '/thing');
  const kept = Object.freeze({ id: 1, name: '环评处', secret: 'not in the schema' });
  let encodings = 0;
  const counted = new Proxy(kept, {
    get(target, key, receiver) {
      if (key === 'name') encodings++;
      return Reflect.get(target, key, receiver);
    },
  });
  const app = Fastify();
  const payloads: unknown[] = [];
  app.addHook('onSend', async (_request, _reply, payload) => {
    payloads.push(payload);
    return payload;
  });
  app.get('/thing', async (_request, reply) => send(reply, counted));
  app.get('/broken', async (_request, reply) => send(reply, { id: 'x', name: 1 } as never));
  try {
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ method: 'GET', url: '/thing' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      // Keys the schema does not name are dropped, as on every other route.
      assert.deepEqual(response.json(), { id: 1, name: '环评处' });
    }
    assert.equal(encodings, 1, 'the second and third replies reuse the first encoding');
    assert.ok(Buffer.isBuffer(payloads[0]), 'the bytes are kept, not a string to encode at every send');
    assert.ok(
      payloads.every((payload) => payload === payloads[0]),
      'every reply sends the same bytes',
    );
    assert.equal((await app.inject({ method: 'GET', url: '/broken' })).statusCode, 500);
  } finally {
    await app.close();
  }
});
