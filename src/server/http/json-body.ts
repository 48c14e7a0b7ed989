import type { FastifyInstance } from 'fastify';

/** A JSON body that is not well-formed Unicode: answered 400 by errors.ts, never stored as mojibake. */
export class BodyEncodingError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: 'invalid_utf8' | 'lone_surrogate',
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = (text: string) => !LONE_SURROGATE.test(text);
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** The path of the first string (or key) holding a lone surrogate, e.g. `body.text`; null when all are well-formed. */
function findLoneSurrogate(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findLoneSurrogate(item, `${path}.${index}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isWellFormed(key)) return `${path}.${key}`;
      const found = findLoneSurrogate(item, `${path}.${key}`);
      if (found) return found;
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
      const error = Object.assign(new Error('malformed JSON'), { statusCode: 400 });
      return done(error, undefined);
    }
    // Valid UTF-8 cannot encode a surrogate: one can only come from a \uD800–\uDFFF escape, so
    // a body without such an escape (every body typed on a keyboard) needs no walk.
    const where = SURROGATE_ESCAPE.test(text) ? findLoneSurrogate(parsed, 'body') : null;
    if (where) return done(new BodyEncodingError('lone_surrogate', `提交的文字含有无效字符（孤立代理项）：${where}，未保存`, { field: where }), undefined);
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
