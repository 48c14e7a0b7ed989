import type { FastifyReply } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';

/**
 * For routes whose service hands out the same frozen object until the data changes
 * (services/read-cache.ts): each object is checked against its response schema and turned into
 * JSON once, and every later reply of that object sends the same bytes. Checking and encoding a
 * 22 KiB to-do list costs about 0.2–0.3 ms, more than the rest of a cached read. The bytes, not the
 * text: a string is encoded to UTF-8 again at every send, about 30 µs for 33 KB of mostly Chinese
 * JSON (measured alone, 2026-12-08) where a kept to-do read costs the server about 100 µs in all.
 */
export function serialiseOnce<T extends object>(schema: z.ZodType<T>, route: string): (reply: FastifyReply, value: T) => FastifyReply {
  // The same check and encoding fastify applies to every other response (app.ts).
  const serialise = serializerCompiler({ schema, method: 'GET', url: route, httpStatus: '200' }) as (value: unknown) => string;
  const serialised = new WeakMap<T, Buffer>();
  return (reply, value) => {
    let json = serialised.get(value);
    if (json === undefined) {
      json = Buffer.from(serialise(value));
      serialised.set(value, json);
    }
    // A buffer with a JSON content type goes out as it is: fastify does not serialise it again.
    return reply.type('application/json; charset=utf-8').send(json);
  };
}
