import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { findAll, findFirst, parseXml, readXmlPart, readZipEntries, textOf } from './ooxml-read.ts';

test('reads a zip back and parses its XML parts into an element tree', () => {
  const xml =
    '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>甲</w:t></w:r><w:r><w:t xml:space="preserve">乙 &amp; 丙</w:t></w:r></w:p><w:p w:rsid="1"/></w:body></w:document>';
  const entries = readZipEntries(zipSync({ 'word/document.xml': strToU8(xml) }));
  assert.deepEqual([...entries.keys()], ['word/document.xml']);
  const document = readXmlPart(entries, 'word/document.xml');
  assert.equal(document.name, 'w:document');
  assert.equal(document.attrs['xmlns:w'], 'urn:w');
  const paragraphs = findAll(document, 'w:p');
  assert.equal(paragraphs.length, 2);
  assert.equal(paragraphs[1]!.attrs['w:rsid'], '1');
  assert.equal(textOf(paragraphs[0]!, 'w:t'), '甲乙 & 丙');
  assert.equal(textOf(document), '甲乙 & 丙');
  assert.equal(findFirst(document, 'w:t')?.text, '甲');
  assert.equal(findFirst(document, 'w:tbl'), undefined);
  assert.throws(() => readXmlPart(entries, 'word/styles.xml'), /no part word\/styles\.xml/);
});

test('refuses what is not a zip, malformed XML and DOCTYPE declarations', () => {
  assert.throws(() => readZipEntries(strToU8('not a zip at all')));
  assert.throws(() => parseXml('<a><b></a>'));
  assert.throws(() => parseXml('<!DOCTYPE a><a/>'), /DOCTYPE/);
  assert.throws(() => parseXml('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'));
  assert.throws(() => parseXml(''), /root element|end/i);
});
