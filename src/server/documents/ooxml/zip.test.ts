import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { zipOf } from '../../../../tests/fixtures/import/office-files.ts';
import { OoxmlLimits } from './limits.ts';
import { openOoxmlPackage } from './zip.ts';
import { assertRefused } from '../../../../tests/support/documents.ts';

const refused = assertRefused;

const MB = 1024 * 1024;

describe('opening a zip without trusting it', () => {
  it('reads the parts it is asked for, stored or deflated, and checks their CRC', () => {
    const pkg = openOoxmlPackage(
      zipOf([
        { name: 'a.xml', data: '<a>甲</a>' },
        { name: 'b.bin', data: 'plain', method: 0 },
      ]),
      'x.docx',
    );
    assert.deepEqual(pkg.names, ['a.xml', 'b.bin']);
    assert.equal(new TextDecoder().decode(pkg.read('a.xml')!), '<a>甲</a>');
    assert.equal(new TextDecoder().decode(pkg.read('b.bin')!), 'plain');
    assert.equal(pkg.read('c.xml'), null);
  });

  it('refuses a zip that declares more entries than the cap, before reading them', () => {
    const entries = Array.from({ length: 10_001 }, (_, i) => ({ name: `word/media/${i}.bin`, data: '', method: 0 as const }));
    refused(() => openOoxmlPackage(zipOf(entries), 'many.docx'), 'import_zip_entries', new RegExp(`many\\.docx.*10001.*${OoxmlLimits.entries}`));
  });

  it('refuses a part that declares an inflated size over the cap, without inflating it', () => {
    const bomb = zipOf([{ name: 'word/document.xml', data: '<w:document/>', declaredSize: 300 * MB }]);
    assert.ok(bomb.length < 4096, `a few hundred bytes (${bomb.length})`);
    refused(() => openOoxmlPackage(bomb, 'bomb.docx'), 'import_zip_too_large', /bomb\.docx.*word\/document\.xml.*300 MB.*128 MB/);
  });

  it('refuses a part whose declared compression ratio is a zip bomb’s', () => {
    const compressed = deflateRawSync(Buffer.alloc(4 * MB));
    const bomb = zipOf([{ name: 'word/document.xml', data: Buffer.alloc(4 * MB), compressed }]);
    assert.ok(bomb.length < 8 * 1024, `a few KB (${bomb.length}) for 4 MB`);
    refused(() => openOoxmlPackage(bomb, 'ratio.docx'), 'import_zip_bomb', new RegExp(`ratio\\.docx.*word/document\\.xml.*${OoxmlLimits.ratio}`));
  });

  it('refuses parts that together declare more than the total cap', () => {
    // Incompressible bytes keep each part under the ratio cap; their inflated size is declared only.
    const part = (i: number) => ({ name: `xl/media/${i}.bin`, data: '', compressed: randomBytes(400 * 1024), declaredSize: 100 * MB });
    refused(() => openOoxmlPackage(zipOf([part(1), part(2), part(3)]), 'total.xlsx'), 'import_zip_too_large', /total\.xlsx.*总大小.*256 MB/);
  });

  it('stops inflating a part whose header lies about its size', () => {
    const zeros = Buffer.alloc(8 * MB);
    const liar = zipOf([{ name: 'word/document.xml', data: zeros, declaredSize: 1000 }]);
    assert.ok(liar.length < 16 * 1024, `a few KB (${liar.length})`);
    const pkg = openOoxmlPackage(liar, 'liar.docx');
    refused(() => pkg.read('word/document.xml'), 'import_zip_bomb', /liar\.docx.*word\/document\.xml.*1000 字节.*不符/);
  });

  it('refuses a zip cut off half way, and one whose data is damaged', () => {
    const whole = zipOf([{ name: 'word/document.xml', data: '<w:document>'.padEnd(5000, 'x') + '</w:document>' }]);
    refused(() => openOoxmlPackage(whole.subarray(0, whole.length >> 1), 'cut.docx'), 'import_zip_corrupt', /cut\.docx.*损坏/);
    const damaged = zipOf([{ name: 'word/document.xml', data: 'abcdefghij'.repeat(200), method: 0 }]);
    damaged[100] = damaged[100]! ^ 0xff;
    refused(() => openOoxmlPackage(damaged, 'crc.docx').read('word/document.xml'), 'import_zip_corrupt', /crc\.docx.*word\/document\.xml.*CRC/);
    const garbled = zipOf([{ name: 'word/document.xml', data: 'x', compressed: new Uint8Array([0xff, 0xff, 0xff]) }]);
    refused(() => openOoxmlPackage(garbled, 'inflate.docx').read('word/document.xml'), 'import_zip_corrupt', /inflate\.docx.*无法解压/);
  });

  it('refuses encrypted parts and two parts of one name', () => {
    const encrypted = zipOf([{ name: 'word/document.xml', data: 'x' }]);
    // General-purpose flag bit 0 in the central directory entry (offset 8 of the entry).
    const view = new DataView(encrypted.buffer);
    const central = encrypted.length - 22 - (46 + 'word/document.xml'.length);
    view.setUint16(central + 8, view.getUint16(central + 8, true) | 1, true);
    refused(() => openOoxmlPackage(encrypted, 'locked.docx'), 'import_zip_encrypted', /locked\.docx.*加密/);
    refused(
      () =>
        openOoxmlPackage(
          zipOf([
            { name: 'a.xml', data: '1' },
            { name: 'a.xml', data: '2' },
          ]),
          'twice.docx',
        ),
      'import_zip_duplicate',
      /twice\.docx.*a\.xml/,
    );
  });
});
