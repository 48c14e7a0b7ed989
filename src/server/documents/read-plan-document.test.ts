import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readPlanDocument } from './read-plan-document.ts';
import { assertRefused } from '../../../tests/support/documents.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../fixtures/${name}`, import.meta.url)));
const seedBytes = fixture('seed/sichuan-2017-q2-notice.txt');
const seed = readPlanDocument(seedBytes, 'seed.txt');

const refused = (bytes: Uint8Array, name: string, code: string, pattern: RegExp) =>
  assertRefused(() => readPlanDocument(bytes, name), code, pattern, 'invalid');

describe('reading a plan file', () => {
  it('reads a GBK copy of the seed exactly like the UTF-8 original', () => {
    const gbk = readPlanDocument(fixture('bad-input/seed-gbk.txt'), 'seed-gbk.txt');
    assert.equal(gbk.encoding, 'gb18030');
    assert.deepEqual(gbk.document, seed.document);
    assert.equal(gbk.contentHash, seed.contentHash, 'same content, same import');
    assert.ok(gbk.warnings[0]!.includes('GB18030'));
  });

  it('reads a UTF-8 file with a BOM and CRLF line ends', () => {
    const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seedBytes.toString('utf8').replace(/\n/g, '\r\n'))]);
    assert.deepEqual(readPlanDocument(crlf, 'seed-crlf.txt').document, seed.document);
  });

  it('reads back its own JSON output as the same document', () => {
    const json = Buffer.from(JSON.stringify(seed.document, null, 2));
    const again = readPlanDocument(json, 'seed.json');
    assert.deepEqual(again.document, seed.document);
    assert.equal(again.contentHash, seed.contentHash);
  });

  it('refuses an empty file', () => refused(new Uint8Array(), 'empty.txt', 'import_empty', /empty\.txt/));
  it('refuses a file of blanks', () => refused(Buffer.from(' \n\t\n'), 'blank.txt', 'import_empty', /blank\.txt/));
  it('refuses a PDF by its content, whatever its name, and says to use the .docx or .xlsx', () => {
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj');
    refused(pdf, 'notice.txt', 'import_pdf_unsupported', /notice\.txt：这是 PDF 文件，PDF 无法导入.*\.docx.*\.xlsx/);
    refused(pdf, '通报.docx', 'import_pdf_unsupported', /通报\.docx：这是 PDF 文件/);
  });
  it('refuses an old .doc/.xls renamed to .xlsx, saying to save it as .docx/.xlsx', () =>
    refused(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'table.xlsx', 'import_legacy_office', /table\.xlsx.*旧版 Office.*另存为/));
  it('refuses a file named .docx that is not a zip', () =>
    refused(Buffer.from('厅机关各处（室）、直属单位：\n'), '通报.docx', 'import_not_ooxml', /通报\.docx：文件名是 Word 文件，内容却不是/));
  it('refuses a zip cut off after its first bytes, whatever its name', () =>
    refused(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'table.txt', 'import_zip_corrupt', /table\.txt：文件已损坏/));
  it('refuses binary data', () => refused(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0, 0]), 'a.out', 'import_not_text', /a\.out/));
  it('refuses bytes that are neither UTF-8 nor Chinese GB18030', () =>
    refused(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x41, 0x42, 0xfe, 0xfe]), 'latin.txt', 'import_encoding', /latin\.txt/));
  it('refuses JSON that is not diaodu.plan/1, naming the field', () => {
    const bad = { ...seed.document, round: { label: '', periodStart: null, periodEnd: null } };
    refused(Buffer.from(JSON.stringify(bad)), 'bad.json', 'import_json_schema', /bad\.json：round\.label/);
  });
  it('refuses a task that names one unit twice, naming the task and the unit', () => {
    const bad = structuredClone(seed.document);
    const task = bad.chapters[0]!.sections[0]!.tasks[1]!;
    task.units.push({ ...task.units[0]!, role: 'co' });
    refused(
      Buffer.from(JSON.stringify(bad)),
      'twice.json',
      'import_json_schema',
      new RegExp(`twice\\.json：chapters\\.0\\.sections\\.0\\.tasks\\.1\\.units\\.${task.units.length - 1}\\.name .*单位“${task.units[0]!.name}”出现了两次`),
    );
  });
  it('refuses broken JSON', () => refused(Buffer.from('{"format": "diaodu.plan/1",'), 'cut.json', 'import_json_syntax', /cut\.json/));
});
