import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * How requests are validated, for the whole app at once (set in app.ts):
 *
 * - Bodies and query strings are strict: a field the route does not know is refused with 400
 *   naming it (`{"stauts":"completed"}` would otherwise be dropped and the answer saved with no
 *   status). Each route's zod schema is made strict — every object in it, recursively — once,
 *   when fastify compiles the route; the route files keep plain `z.object`, and the OpenAPI
 *   document shows the strict copies (`additionalProperties: false`).
 * - A body that is absent (a POST action sent with no body, or with an empty JSON body) is read
 *   as `{}`: an action whose fields are all optional needs none, and a route that needs fields
 *   names the missing ones instead of answering "expected object, received null".
 * - zod's own messages are Chinese (`configureZodMessages` in domain/zod-messages.ts), so a refusal never shows English.
 *
 * Query strings are strict where a route declares one: its parameters are filters, and a
 * misspelt filter (`?stauts=late`) would otherwise answer everything as if it had filtered. A
 * GET route that declares no query string ignores one, as any web server does (a cache-buster
 * changes nothing there). Path parameters are the route's own; headers are open by nature
 * (browsers and proxies add their own).
 */

type AnySchema = z.core.$ZodType;

const strictCache = new WeakMap<AnySchema, AnySchema>();

/** The schema with every object in it made strict (`catchall: never`); objects that chose a catchall (`z.looseObject`, `.catchall(…)`) keep it. */
export function strictInput<T extends AnySchema>(schema: T): T {
  const cached = strictCache.get(schema);
  if (cached) return cached as T;
  const result = makeStrict(schema);
  // Descriptions and examples (for the OpenAPI document) follow the copy.
  const meta = z.globalRegistry.get(schema);
  if (meta && result !== schema) z.globalRegistry.add(result, meta);
  strictCache.set(schema, result);
  return result as T;
}

function makeStrict(schema: AnySchema): AnySchema {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const rebuild = (changes: Record<string, unknown>) => {
    // Copied with its getters (a default's value is made anew for every request), then changed.
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(def)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(changes)) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    return new schema._zod.constr(copy as never) as AnySchema;
  };
  switch (def.type) {
    case 'object': {
      const shape = Object.fromEntries(Object.entries(def.shape as Record<string, AnySchema>).map(([key, value]) => [key, strictInput(value)]));
      return rebuild({ shape, catchall: def.catchall ?? z.never() });
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return rebuild({ innerType: strictInput(def.innerType as AnySchema) });
    case 'array':
      return rebuild({ element: strictInput(def.element as AnySchema) });
    case 'record':
      return rebuild({ valueType: strictInput(def.valueType as AnySchema) });
    case 'tuple':
      return rebuild({ items: (def.items as AnySchema[]).map(strictInput), rest: def.rest ? strictInput(def.rest as AnySchema) : def.rest });
    case 'union':
      return rebuild({ options: (def.options as AnySchema[]).map(strictInput) });
    case 'pipe':
      // `z.preprocess(fn, object)` validates in `out`; `object.transform(fn)` in `in`.
      return rebuild({ in: strictInput(def.in as AnySchema), out: strictInput(def.out as AnySchema) });
    default:
      // Intersections stay as written (each side would refuse the other's fields); lazy, map,
      // set and the scalars have no fields of their own.
      return schema;
  }
}

/** True when the schema, past optional/nullable/default wrappers, is an object: an absent body can stand for `{}`. */
function acceptsObject(schema: AnySchema): boolean {
  let current = schema;
  for (;;) {
    const def = current._zod.def as z.core.$ZodTypeDef & { innerType?: AnySchema; in?: AnySchema };
    if (def.type === 'object') return true;
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return false;
  }
}

/** fastify's validator compiler: zod as the route wrote it, strict for bodies and query strings, an absent body read as `{}`. */
export const strictValidatorCompiler: FastifySchemaCompiler<AnySchema> = ({ schema, httpPart, method, url }) => {
  if (httpPart !== 'body' && httpPart !== 'querystring') return validatorCompiler({ schema, method, url, httpPart } as never);
  const validate = validatorCompiler({ schema: strictInput(schema), method, url, httpPart } as never);
  if (httpPart !== 'body' || !acceptsObject(schema)) return validate;
  return (data: unknown) => validate(data === null || data === undefined ? {} : data);
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A write route that declares no body takes no fields: it gets an empty body schema, so
 * `POST …/close` with `{"force":true}` is refused naming `body.force` instead of ignoring it.
 * Uploads (multipart/form-data, read by the route itself) are left alone. For fastify's
 * `onRoute` hook, registered before the routes.
 */
export function requireBodyOfWrites(route: { method: string | string[]; url: string; schema?: Record<string, unknown> | undefined }): void {
  if (!route.url.startsWith('/api/') || ![route.method].flat().some((method) => WRITES.has(method))) return;
  const schema = route.schema ?? {};
  const consumes = (schema.consumes as string[] | undefined) ?? [];
  if (schema.body !== undefined || consumes.some((type) => type.startsWith('multipart/'))) return;
  route.schema = { ...schema, body: z.object({}).optional() };
}

/**
 * Wraps @fastify/swagger's transform so the document describes bodies and query strings as validated: closed to unknown fields;
 * and an upload's form (`schema.uploadForm`, http/upload.ts) as its route's multipart/form-data body.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the transform's own parameter type, passed through unchanged
export function strictDocumentTransform<T extends (document: any) => unknown>(transform: T): T {
  const wrapped = (document: { schema?: Record<string, unknown> }) => {
    const schema = document.schema;
    if (!schema) return transform(document);
    const { uploadForm, ...strict } = schema;
    // An upload's form is the body the document describes; fastify never sees it as one.
    if (uploadForm instanceof z.ZodType) strict.body = uploadForm;
    for (const part of ['body', 'querystring'] as const) if (strict[part] instanceof z.ZodType) strict[part] = strictInput(strict[part]);
    return transform({ ...document, schema: strict });
  };
  return wrapped as unknown as T;
}
