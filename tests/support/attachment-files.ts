import { strToU8, zipSync } from 'fflate';

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
  png: () =>
    new Uint8Array(
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
    ),
  jpeg: () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
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
