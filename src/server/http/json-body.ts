import type { FastifyInstance } from 'fastify';

/** A JSON body that is not JSON, not well-formed Unicode, or nested past MAX_BODY_DEPTH: answered 400 by errors.ts, never stored. */
export class BodyEncodingError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: 'invalid_utf8' | 'lone_surrogate' | 'body_too_deep' | 'bad_request',
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * No request of this API nests deeper than a few levels; a body nested past this is refused
 * before anything else reads it (JSON.stringify, zod and the audit log all recurse).
 */
export const MAX_BODY_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });
// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = (text: string) => !LONE_SURROGATE.test(text);
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

type BodyProblem = { kind: 'too_deep' } | { kind: 'lone_surrogate'; path: string };

/**
 * One walk over the parsed body, without recursion (a body 10,000 arrays deep must not
 * overflow the stack): the first value nested deeper than MAX_BODY_DEPTH, else — when
 * `surrogates` — the path of the first string (or key) holding a lone surrogate, e.g. `body.text`.
 */
function findBodyProblem(body: unknown, surrogates: boolean): BodyProblem | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: 'body', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (surrogates && !isWellFormed(value)) return { kind: 'lone_surrogate', path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { kind: 'too_deep' };
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    // Pushed in reverse, so the first problem in document order is the one reported.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index]!;
      if (surrogates && !isWellFormed(key)) return { kind: 'lone_surrogate', path: `${path}.${key}` };
      stack.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Fastify's default JSON parser decodes invalid UTF-8 into U+FFFD and lets `"\ud800"` through:
 * both would be stored as text nobody wrote. This parser refuses them with 400 and says where.
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      const at = firstInvalidByte(body);
      done(new BodyEncodingError('invalid_utf8', `提交的内容不是有效的 UTF-8 编码（第 ${at + 1} 字节），未保存`, { byte: at }), undefined);
      return;
    }
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new BodyEncodingError('bad_request', '提交的内容不是有效的 JSON，未保存', {}), undefined);
    }
    // Valid UTF-8 cannot encode a surrogate: one can only come from a \uD800–\uDFFF escape, so
    // a body without such an escape (every body typed on a keyboard) has no strings to check.
    const problem = findBodyProblem(parsed, SURROGATE_ESCAPE.test(text));
    if (problem?.kind === 'too_deep')
      return done(
        new BodyEncodingError('body_too_deep', `提交的内容嵌套层级过深（超过 ${MAX_BODY_DEPTH} 层），未保存`, { maxDepth: MAX_BODY_DEPTH }),
        undefined,
      );
    if (problem?.kind === 'lone_surrogate')
      return done(new BodyEncodingError('lone_surrogate', `提交的文字含有无效字符（孤立代理项）：${problem.path}，未保存`, { field: problem.path }), undefined);
    done(null, parsed);
  });
}

function firstInvalidByte(bytes: Buffer): number {
  // Decode growing prefixes until one fails: the last good length is where the bad byte starts.
  let good = 0;
  for (let end = 1; end <= bytes.length; end++) {
    try {
      utf8.decode(bytes.subarray(good, end));
      good = end;
    } catch {
      if (end - good >= 4) return good; // no UTF-8 sequence is longer than 4 bytes
    }
  }
  return good;
}
