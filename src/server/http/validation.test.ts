import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { configureZodMessages } from '../../domain/zod-messages.ts';
import { calendarDateSchema, deadlineSchema, idParam } from './schemas.ts';
import { requireBodyOfWrites, strictInput } from './validation.ts';

configureZodMessages();

const unknownKeys = (result: { success: boolean; error?: z.ZodError }) =>
  (result.error?.issues ?? [])
    .filter((issue) => issue.code === 'unrecognized_keys')
    .map((issue) => [...issue.path, ...(issue as { keys: string[] }).keys].join('.'));

describe('strictInput', () => {
  test('every object in the schema refuses unknown keys: nested, optional, nullable, defaulted, in arrays, unions, records and pipes', () => {
    const schema = z.object({
      a: z.object({ b: z.string() }).optional(),
      list: z.array(z.object({ c: z.number() })).default([]),
      either: z.union([z.object({ kind: z.literal('x') }), z.object({ kind: z.literal('y'), y: z.string() })]).nullable(),
      map: z.record(z.string(), z.object({ d: z.boolean() })).optional(),
      piped: z.preprocess((value) => value, z.object({ e: z.string() })).optional(),
    });
    const strict = strictInput(schema);
    const result = strict.safeParse({
      a: { b: 'x', bb: 1 },
      list: [{ c: 1, cc: 2 }],
      either: null,
      map: { k: { d: true, dd: 1 } },
      piped: { e: 'e', ee: 1 },
      top: 1,
    });
    assert.deepEqual(unknownKeys(result).sort(), ['a.bb', 'list.0.cc', 'map.k.dd', 'piped.ee', 'top']);
    assert.equal(schema.safeParse({ top: 1, either: null }).success, true, 'the route’s own schema is left as written (OpenAPI reads it)');
    assert.equal(strictInput(schema), strict, 'made once per schema');
  });

  test('defaults stay fresh per parse, and an object that chose a catchall keeps it', () => {
    const strict = strictInput(z.object({ list: z.array(z.number()).default(() => []) }));
    const first = strict.parse({});
    first.list.push(1);
    assert.deepEqual(strict.parse({}).list, []);
    assert.equal(strictInput(z.looseObject({ a: z.string() })).safeParse({ a: 'x', b: 1 }).success, true);
  });

  test('a write route without a body schema takes no fields; uploads and reads are left alone', () => {
    const route = (method: string, schema?: Record<string, unknown>) => ({ method, url: '/api/x', schema });
    const close = route('POST');
    requireBodyOfWrites(close);
    assert.ok(close.schema?.body, 'an empty strict body');
    const upload = route('POST', { consumes: ['multipart/form-data'] });
    requireBodyOfWrites(upload);
    assert.equal(upload.schema?.body, undefined);
    const read = route('GET');
    requireBodyOfWrites(read);
    assert.equal(read.schema, undefined);
  });
});

describe('request schemas', () => {
  test('ids: only canonical decimals in the safe range', () => {
    assert.equal(idParam.parse('10'), 10);
    for (const spelling of ['0xa', '1e1', ' 10', '+10', '010', '10.0', '0', '-1', '9007199254740993', ''])
      assert.equal(idParam.safeParse(spelling).success, false, spelling);
  });

  test('dates as typed become YYYY-MM-DD; impossible days are refused, in Chinese', () => {
    assert.equal(calendarDateSchema.parse('2017/10/16'), '2017-10-16');
    assert.equal(calendarDateSchema.parse('2017年10月16日'), '2017-10-16');
    for (const bad of ['2017-13-45', '2017-02-30', '0000-00-00']) {
      const result = calendarDateSchema.safeParse(bad);
      assert.equal(result.success, false, bad);
      assert.match(result.error!.issues[0]!.message, /不是有效日期/);
    }
    assert.equal(deadlineSchema.parse('2017-10-16T17:00:00+08:00'), '2017-10-16T17:00:00+08:00');
    assert.equal(deadlineSchema.safeParse('2017-02-29T17:00:00+08:00').success, false);
  });

  test('zod answers in Chinese', () => {
    const result = z.object({ text: z.string(), n: z.number().max(3), s: z.enum(['a', 'b']) }).safeParse({ n: 4, s: 'c' });
    assert.deepEqual(
      result.error!.issues.map((issue) => issue.message),
      ['必填', '不能大于 3', '应为以下之一：a、b'],
    );
  });
});
