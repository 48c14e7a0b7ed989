import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invalid } from '../../domain/errors.ts';
import { UnknownUploadFieldError } from './errors.ts';

/** The text fields an upload may carry beside its file, by name. */
type UploadFields = Record<string, z.ZodType<string> | z.ZodOptional<z.ZodType<string>>>;

/**
 * An upload's form: the one file, under `file`, and the text fields beside it. A route names it
 * twice from the same value: as `schema.uploadForm`, which the OpenAPI document describes as the
 * route's multipart/form-data body (and the web app's client is typed from; fastify does not
 * validate it, the route reads the parts itself), and as `readUpload`'s `form`, which takes
 * those fields and refuses any other.
 */
export function uploadForm<F extends UploadFields = Record<never, never>>(fields: F = {} as F) {
  return z.object({ file: z.file().describe('文件（按内容识别类型）'), ...fields });
}

export type UploadForm = ReturnType<typeof uploadForm>;

declare module 'fastify' {
  interface FastifySchema {
    /** A multipart/form-data body read by the route itself (`uploadForm`): described, not validated. */
    uploadForm?: UploadForm;
  }
}

export type Upload = {
  /** The client's file name, cleaned (`uploadFileName`): for messages and audit rows only, never for storing. */
  fileName: string;
  bytes: Uint8Array;
  /** The text fields that came with the file, by name (only those asked for). */
  fields: Record<string, string>;
};

/**
 * Reads a multipart/form-data upload of one file into memory (never to disk), capped at
 * `maxBytes` (over it fastify answers 413), with at most the text fields of `form` beside it (any
 * other text field is refused, naming it).
 * The errors name what is wrong with the upload itself; `code` prefixes their codes
 * (`import_upload_missing`, `returned_table_upload_missing` …) so each route keeps its own.
 */
export async function readUpload(request: FastifyRequest, options: { maxBytes: number; code: string; form: UploadForm }): Promise<Upload> {
  const { code } = options;
  const wanted = new Set(Object.keys(options.form.shape).filter((name) => name !== 'file'));
  if (!request.isMultipart()) throw invalid(`${code}_upload_not_multipart`, '请以 multipart/form-data 上传文件', {});
  let file: { fileName: string; bytes: Uint8Array } | null = null;
  const fields: Record<string, string> = {};
  // One field more than wanted is let through, so an unknown one is seen and refused by name (not as "too large").
  const parts = request.parts({ limits: { fileSize: options.maxBytes, files: 1, fields: wanted.size + 1, parts: 2 + wanted.size, fieldSize: 1024 * 1024 } });
  let fileName = '上传的文件';
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (!wanted.has(part.fieldname)) throw new UnknownUploadFieldError(part.fieldname);
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      fileName = uploadFileName(part.filename);
      const buffer = await part.toBuffer();
      file = { fileName, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
    }
  } catch (error) {
    // Over the cap (413) and the like are fastify's to answer; a body cut off half way is the upload's fault.
    if (error instanceof UnknownUploadFieldError || typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    throw invalid(`${code}_upload_incomplete`, `${fileName}：上传不完整，请重新上传`, { file: fileName });
  }
  if (!file) throw invalid(`${code}_upload_missing`, '请求中没有文件', {});
  return { ...file, fields };
}

/**
 * The client's file name as shown back: its last path part, without control or bidi-override
 * characters (an RTL override can make `exe.docx` read `xcod.exe`), at most 100 characters (a longer
 * name keeps its extension).
 */
export function uploadFileName(name: string | undefined): string {
  const characters = [
    ...(name ?? '')
      .split(/[\\/]/)
      .pop()!
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .trim(),
  ];
  // A long name is cut in its middle: the extension stays (attachments are checked against it).
  const extension = characters.length > 100 ? [...(/\.[^.]{1,10}$/u.exec(characters.join(''))?.[0] ?? '')] : [];
  const cleaned = characters.length > 100 ? [...characters.slice(0, 100 - extension.length), ...extension].join('') : characters.join('');
  return cleaned === '' || /^\.+$/.test(cleaned) ? '上传的文件' : cleaned;
}
