import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { openRound } from './returned-table.ts';
import type { SignedInClient, TestServer } from './test-server.ts';

/**
 * Small files of each kind an answer may carry as evidence (佐证材料), and the wrong ones, built
 * in memory: enough of each format for the server's content sniffing, with bytes that differ
 * from file to file so a download can be compared byte for byte.
 */

const contentTypes = (main: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${main}${extra}</Types>`;

function ooxml(main: string, part: string, body: string, extra = ''): Uint8Array {
  return zipSync({ '[Content_Types].xml': strToU8(contentTypes(main, extra)), [part]: strToU8(body) });
}

export const attachmentFiles = {
  pdf: (note = '佐证') => new Uint8Array(Buffer.from(`%PDF-1.4\n% ${note}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`)),
  // A real 1×1 PNG (a browser can show it).
  png: () => new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')),
  jpeg: () =>
    new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
  docx: () =>
    ooxml(
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
      'word/document.xml',
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>佐证材料</w:t></w:r></w:p></w:body></w:document>',
    ),
  xlsx: () =>
    ooxml(
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
      'xl/workbook.xml',
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
    ),
  /** A macro-enabled workbook (.xlsm) named .xlsx. */
  xlsm: () =>
    ooxml(
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>',
      'xl/workbook.xml',
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
    ),
  /** A zip that is no Office document. */
  zip: () => zipSync({ 'readme.txt': strToU8('hello') }),
  /** A Windows program (MZ header). */
  exe: () => new Uint8Array(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('This program cannot be run in DOS mode.')])),
};

export const ATTACHMENT_BOUNDARY = '----diaodu-attachment';

export function attachmentBody(fileName: string | Buffer, bytes: Uint8Array): Buffer {
  const name = typeof fileName === 'string' ? Buffer.from(fileName, 'utf8') : fileName;
  return Buffer.concat([
    Buffer.from(`--${ATTACHMENT_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="`),
    name,
    Buffer.from(`"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${ATTACHMENT_BOUNDARY}--\r\n`),
  ]);
}

export async function uploadAttachment(server: TestServer, client: SignedInClient, path: string, fileName: string | Buffer, bytes: Uint8Array) {
  const response = await server.app.inject({
    method: 'POST',
    url: path,
    headers: { cookie: client.cookie, 'x-csrf-token': client.session.csrfToken, 'content-type': `multipart/form-data; boundary=${ATTACHMENT_BOUNDARY}` },
    payload: attachmentBody(fileName, bytes),
  });
  return { status: response.statusCode, body: response.json() };
}

/** A round open over the demo plan, and the first task of 环评处 in it. */
export async function answerPlace(server: TestServer) {
  const roundId = await openRound(server);
  const reporter = await server.as('huanping');
  const unitId = reporter.session.user.unit!.id;
  const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  assert.equal(todo.status, 200, JSON.stringify(todo.body));
  const taskId = todo.body.items[0].task.id as number;
  return { roundId, unitId, taskId, reporter, path: `/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/attachments` };
}
