import assert from 'node:assert/strict';
import { AttachmentLimits } from '../../src/domain/limits.ts';
import { ATTACHMENT_BOUNDARY, answerPlace, attachmentBody, attachmentFiles, uploadAttachment } from '../support/attachment-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { countRows } from '../support/db-inspection.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Evidence files over HTTP: bad input (docs/promises.md 1, 13, 14) answered with a clear Chinese message
 * and nothing stored; names kept for display only and sent back under a safe Content-Disposition;
 * the bytes coming back exactly as uploaded.
 */

forEachEngine('attachment API', (it, engine) => {
  it('refuses an empty file, a program renamed .pdf, a PDF renamed .docx (422) and a file over the cap (413), each with a clear message, storing nothing; a file at the cap is taken', async (database) => {
    const server = await createTestServer(database);
    try {
      const { path, reporter } = await answerPlace(server);
      const before = await countRows(database);
      const cases = [
        { name: '空文件.pdf', bytes: new Uint8Array(), status: 422, code: 'attachment_empty', message: /^空文件\.pdf：文件为空/ },
        {
          name: '会议纪要.pdf',
          bytes: attachmentFiles.exe(),
          status: 422,
          code: 'attachment_type',
          message: /^会议纪要\.pdf：只能上传 PDF、图片（PNG\/JPEG）、Word（\.docx）或 Excel（\.xlsx）文件/,
        },
        {
          name: '方案.docx',
          bytes: attachmentFiles.pdf(),
          status: 422,
          code: 'attachment_extension_mismatch',
          message: /^方案\.docx：文件内容是PDF 文件，与扩展名“\.docx”不符/,
        },
        {
          name: '大文件.pdf',
          bytes: new Uint8Array(AttachmentLimits.fileBytes + 1).fill(0x25),
          status: 413,
          code: 'attachment_too_large',
          message: /^文件超过 20 MB，未上传/,
        },
      ];
      for (const c of cases) {
        const answer = await uploadAttachment(server, reporter, path, c.name, c.bytes);
        assert.equal(answer.status, c.status, `${c.name}: ${JSON.stringify(answer.body).slice(0, 300)}`);
        assert.equal(answer.body.error.code, c.code, c.name);
        assert.match(answer.body.error.message, c.message);
        assert.doesNotMatch(answer.body.error.message, /\([a-z ]+\)/i, 'no English gloss');
      }
      assert.deepEqual(await countRows(database), before, 'nothing stored, no audit row either');

      // Right at the cap is taken, over HTTP too (the 1 MB JSON body limit does not apply to uploads).
      const atCap = new Uint8Array(AttachmentLimits.fileBytes);
      atCap.set(attachmentFiles.pdf());
      const taken = await uploadAttachment(server, reporter, path, '扫描件.pdf', atCap);
      assert.equal(taken.status, 200, JSON.stringify(taken.body).slice(0, 300));
      assert.equal(taken.body.sizeBytes, AttachmentLimits.fileBytes);
    } finally {
      await server.close();
    }
  });

  it('file names with ../, NUL, an RTL override and 300 bytes of Chinese are shown cleaned, never used as a path, and come back under a safe Content-Disposition', async (database) => {
    const server = await createTestServer(database);
    try {
      const { path, reporter } = await answerPlace(server);
      const office = await server.as('office');
      const long = `${'证'.repeat(100)}.pdf`;
      assert.equal(Buffer.byteLength(long.slice(0, 100)), 300);
      const cases = [
        { sent: '../../etc/passwd.pdf', shown: 'passwd.pdf' },
        { sent: '..\\..\\windows\\报告.pdf', shown: '报告.pdf' },
        { sent: '报\u0000告.pdf', shown: '报告.pdf' },
        { sent: '佐证\u202e材料.pdf', shown: '佐证材料.pdf' },
        { sent: long, shown: `${'证'.repeat(96)}.pdf` },
        { sent: '"; filename="evil.html', shown: null },
      ];
      for (const [i, c] of cases.entries()) {
        const bytes = attachmentFiles.pdf(`name ${i}`);
        const answer = await uploadAttachment(server, reporter, path, c.sent, bytes);
        if (c.shown === null) {
          // A quote ends the name in the header: what is left is no .pdf, so the content decides it is refused.
          assert.equal(answer.status, 422, JSON.stringify(answer.body));
          continue;
        }
        assert.equal(answer.status, 200, `${JSON.stringify(c.sent)}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.fileName, c.shown);
        const download = await office.get(`/api/attachments/${answer.body.id}/download`);
        assert.equal(download.status, 200);
        assert.deepEqual(download.raw, Buffer.from(bytes), 'the bytes as uploaded');
        const disposition = String(download.headers['content-disposition']);
        assert.match(disposition, new RegExp(`^attachment; filename="?attachment-${answer.body.id}\\.pdf"?; filename\\*=UTF-8''`), disposition);
        assert.equal(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!), c.shown);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(disposition, /[\u0000-\u001f\u007f-\uffff]|\.\.\//, 'ASCII only, no path');
        assert.equal(download.headers['content-type'], 'application/pdf');
        assert.equal(download.headers['x-content-type-options'], 'nosniff');
      }
      // An RTL override that hides a program's extension: the real extension (.exe) does not match the PDF inside.
      const hidden = await uploadAttachment(server, reporter, path, '报告\u202efdp.exe', attachmentFiles.pdf());
      assert.equal(hidden.status, 422);
      assert.equal(hidden.body.error.code, 'attachment_extension_mismatch');
      assert.match(hidden.body.error.message, /^报告fdp\.exe：/);
      // The raw bytes of an invalid UTF-8 name are not a path either.
      const raw = await uploadAttachment(
        server,
        reporter,
        path,
        Buffer.from([0x2e, 0x2e, 0x2f, 0xff, 0xfe, 0x2e, 0x70, 0x64, 0x66]),
        attachmentFiles.pdf('raw'),
      );
      assert.equal(raw.status, 200, JSON.stringify(raw.body));
      assert.doesNotMatch(raw.body.fileName, /\//);
    } finally {
      await server.close();
    }
  });

  // Nothing reaches the database before the upload is whole: one engine shows it (registered on SQLite only, never a silent pass).
  if (engine === 'sqlite')
    it('an upload cut off half way is 422 naming the file; nothing is stored, not even an audit row; the whole file then uploads', async (database) => {
      const server = await createTestServer(database);
      try {
        const { path, reporter } = await answerPlace(server);
        const bytes = attachmentFiles.docx();
        const whole = attachmentBody('方案.docx', bytes);
        const headLength = whole.indexOf(Buffer.from(bytes));
        const before = await countRows(database);
        for (const cut of [headLength + 1, headLength + Math.floor(bytes.length / 2), headLength + bytes.length - 1, 40]) {
          const response = await server.app.inject({
            method: 'POST',
            url: path,
            headers: {
              cookie: reporter.cookie,
              'x-csrf-token': reporter.session.csrfToken,
              'content-type': `multipart/form-data; boundary=${ATTACHMENT_BOUNDARY}`,
            },
            payload: whole.subarray(0, cut),
          });
          assert.equal(response.statusCode, 422, `cut at ${cut}: ${response.body}`);
          assert.equal(response.json().error.code, 'attachment_upload_incomplete');
          assert.match(response.json().error.message, cut === 40 ? /^上传的文件：上传不完整，请重新上传/ : /^方案\.docx：上传不完整，请重新上传/);
        }
        assert.deepEqual(await countRows(database), before, 'nothing stored by a cut-off upload, the audit log included');
        const stored = await uploadAttachment(server, reporter, path, '方案.docx', bytes);
        assert.equal(stored.status, 200, JSON.stringify(stored.body));
        assert.equal(stored.body.kind, 'docx');
      } finally {
        await server.close();
      }
    });
});
