import assert from 'node:assert/strict';
import { answerPlace, attachmentFiles, uploadAttachment } from '../support/attachment-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Who may do what with evidence files (佐证材料), over HTTP on both engines: the unit's reporter
 * and head upload, list, download and delete; the office and leaders list and download; another
 * unit's reporter and the admin roles get 403 for everything (each refusal audited); nobody
 * signed in gets 401.
 */

forEachEngine('attachment permissions', (it) => {
  it('the unit’s reporter and head upload, read and delete; the office and leaders read; another unit and the admin roles are refused; nobody signed in gets 401', async (database) => {
    const server = await createTestServer(database);
    try {
      const { path, reporter } = await answerPlace(server);
      const head = await server.as('huanping-head');
      const readers = { office: await server.as('office'), leader: await server.as('leader') };
      const refused = { guicai: await server.as('guicai'), sysadmin: await server.as('sysadmin'), auditor: await server.as('auditor') };

      const mine = await uploadAttachment(server, reporter, path, '报告.pdf', attachmentFiles.pdf('reporter'));
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      const heads = await uploadAttachment(server, head, path, '审核意见.pdf', attachmentFiles.pdf('head'));
      assert.equal(heads.status, 200, JSON.stringify(heads.body));

      const deniedBefore = await database.db.selectFrom('audit_events').select('id').where('action', '=', 'access.denied').execute();
      for (const [name, client] of Object.entries(refused)) {
        const upload = await uploadAttachment(server, client, path, '冒充.pdf', attachmentFiles.pdf(name));
        assert.equal(upload.status, 403, `${name} upload: ${JSON.stringify(upload.body)}`);
        assert.equal((await client.get(path)).status, 403, `${name} list`);
        assert.equal((await client.get(`/api/attachments/${mine.body.id}/download`)).status, 403, `${name} download`);
        assert.equal((await client.delete(`/api/attachments/${mine.body.id}`)).status, 403, `${name} delete`);
      }
      for (const [name, client] of Object.entries(readers)) {
        const list = await client.get(path);
        assert.equal(list.status, 200, `${name} list`);
        assert.deepEqual(
          list.body.map((a: { fileName: string }) => a.fileName),
          ['报告.pdf', '审核意见.pdf'],
        );
        const download = await client.get(`/api/attachments/${mine.body.id}/download`);
        assert.equal(download.status, 200, `${name} download`);
        assert.deepEqual(download.raw, Buffer.from(attachmentFiles.pdf('reporter')));
        assert.equal((await client.delete(`/api/attachments/${mine.body.id}`)).status, 403, `${name} may not delete`);
        assert.equal((await uploadAttachment(server, client, path, '办公室.pdf', attachmentFiles.pdf(name))).status, 403, `${name} may not upload`);
      }
      const deniedAfter = await database.db.selectFrom('audit_events').select('id').where('action', '=', 'access.denied').execute();
      assert.equal(deniedAfter.length - deniedBefore.length, 3 * 4 + 2 * 2, 'every refusal audited');

      const anonymous = server.anonymous();
      assert.equal((await anonymous.get(path)).status, 401);
      assert.equal((await anonymous.get(`/api/attachments/${mine.body.id}/download`)).status, 401);

      assert.equal((await head.delete(`/api/attachments/${heads.body.id}`)).status, 204);
      assert.equal((await reporter.delete(`/api/attachments/${mine.body.id}`)).status, 204);
      assert.deepEqual((await reporter.get(path)).body, []);
      const audits = await database.db.selectFrom('audit_events').select('action').where('action', 'in', ['attachment.upload', 'attachment.delete']).execute();
      assert.deepEqual(audits.map((a) => a.action).sort(), ['attachment.delete', 'attachment.delete', 'attachment.upload', 'attachment.upload']);
    } finally {
      await server.close();
    }
  });
});
