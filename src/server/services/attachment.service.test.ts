import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Actor, UserActor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { AttachmentLimits } from '../../domain/limits.ts';
import { attachmentFiles } from '../../../tests/support/attachment-files.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import type { Database } from '../db/database.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createAttachmentService } from './attachment.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createRoundService } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');
const now = () => new Date('2017-09-20T09:00:00+08:00');
const office: UserActor = { kind: 'user', userId: 1, username: 'office', name: '办公室', role: 'office', unitId: null };

async function setUp(database: Database) {
  const system: Actor = { kind: 'system', name: 'test', userId: null };
  const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
  const unitIds = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  const round = await createRoundService({ database, now }).openRound(office, imported.planId, {
    label: '2017年第三季度',
    periodStart: null,
    periodEnd: null,
    deadline: null,
    note: null,
    requiresApproval: false,
  });
  const unitId = unitIds.get('环评处')!;
  const me: UserActor = { kind: 'user', userId: 101, username: 'huanping', name: '张敏', role: 'reporter', unitId };
  const answers = createAnswerService({ database, now });
  const todo = await answers.todo(me, round.id, unitId);
  return {
    attachments: createAttachmentService({ database, now }),
    answers,
    round,
    unitId,
    me,
    taskId: todo.items[0]!.task.id,
    tasks: todo.items.map((i) => i.task.id),
  };
}

const refused = (code: string) => (error: unknown) => {
  assert.ok(isDomainError(error), String(error));
  assert.equal(error.code, code, error.message);
  return true;
};

forEachEngine('attachments (佐证材料)', (it) => {
  it('stores each accepted kind with its SHA-256, sniffed from content; downloads give the bytes back; the to-do lists them; upload is audited', async (database) => {
    const { attachments, answers, round, unitId, me, taskId } = await setUp(database);
    const files = [
      { name: '会议纪要.pdf', bytes: attachmentFiles.pdf(), kind: 'pdf', type: 'application/pdf' },
      { name: '现场照片.PNG', bytes: attachmentFiles.png(), kind: 'png', type: 'image/png' },
      { name: '现场.jpeg', bytes: attachmentFiles.jpeg(), kind: 'jpeg', type: 'image/jpeg' },
      { name: '方案.docx', bytes: attachmentFiles.docx(), kind: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
      { name: '台账.xlsx', bytes: attachmentFiles.xlsx(), kind: 'xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    ];
    const stored = [];
    for (const file of files) {
      const view = await attachments.upload(me, round.id, taskId, unitId, { fileName: file.name, bytes: file.bytes });
      assert.deepEqual(
        [view.fileName, view.kind, view.contentType, view.sizeBytes, view.uploadedBy],
        [file.name, file.kind, file.type, file.bytes.length, '张敏'],
      );
      assert.equal(view.sha256, createHash('sha256').update(file.bytes).digest('hex'));
      stored.push(view);
    }
    for (const [i, view] of stored.entries()) {
      const { bytes } = await attachments.download(office, view.id);
      assert.deepEqual(Buffer.from(bytes), Buffer.from(files[i]!.bytes), `${view.fileName} byte for byte`);
    }
    const item = (await answers.todo(me, round.id, unitId)).items.find((i) => i.task.id === taskId)!;
    assert.deepEqual(
      item.attachments.map((a) => a.fileName),
      files.map((f) => f.name),
    );
    assert.equal((await answers.todo(me, round.id, unitId)).submission.state, 'draft', 'evidence counts as work begun');
    const audits = await database.db
      .selectFrom('audit_events')
      .select(['object_id', 'detail', 'actor_name'])
      .where('action', '=', 'attachment.upload')
      .orderBy('id')
      .execute();
    assert.equal(audits.length, files.length);
    assert.equal(JSON.parse(audits[0]!.detail!).sha256, stored[0]!.sha256);
  });

  it('refuses bad files with a message naming the file, storing nothing: empty, a program renamed .pdf, a PDF renamed .docx, a plain zip, a macro workbook, too large, one too many', async (database) => {
    const { attachments, round, unitId, me, taskId } = await setUp(database);
    const upload = (fileName: string, bytes: Uint8Array) => attachments.upload(me, round.id, taskId, unitId, { fileName, bytes });
    await assert.rejects(upload('空.pdf', new Uint8Array()), refused('attachment_empty'));
    await assert.rejects(
      upload('报告.pdf', attachmentFiles.exe()),
      (error) => refused('attachment_type')(error) && /^报告\.pdf：只能上传/.test((error as Error).message),
    );
    await assert.rejects(
      upload('方案.docx', attachmentFiles.pdf()),
      (error) => refused('attachment_extension_mismatch')(error) && /内容是PDF 文件，与扩展名“\.docx”不符/.test((error as Error).message),
    );
    await assert.rejects(upload('照片.jpg', attachmentFiles.png()), refused('attachment_extension_mismatch'));
    await assert.rejects(upload('无扩展名', attachmentFiles.pdf()), refused('attachment_extension_mismatch'));
    await assert.rejects(upload('压缩包.xlsx', attachmentFiles.zip()), refused('attachment_type'));
    await assert.rejects(upload('宏.xlsx', attachmentFiles.xlsm()), refused('attachment_type'));
    await assert.rejects(upload('坏.docx', attachmentFiles.docx().subarray(0, 60)), refused('attachment_unreadable'));
    await assert.rejects(upload('大.pdf', new Uint8Array(AttachmentLimits.fileBytes + 1).fill(0x25)), refused('attachment_too_large'));
    assert.equal((await database.db.selectFrom('answer_attachments').select('id').execute()).length, 0, 'nothing stored');

    for (let i = 0; i < AttachmentLimits.perAnswer; i++) await upload(`第${i + 1}份.pdf`, attachmentFiles.pdf(String(i)));
    await assert.rejects(upload('多一份.pdf', attachmentFiles.pdf('more')), refused('attachment_too_many'));
    assert.equal((await database.db.selectFrom('answer_attachments').select('id').execute()).length, AttachmentLimits.perAnswer);
  });

  it('the unit deletes its file while the answer is editable (audited), not after submitting; nobody else deletes it; damaged bytes are never handed out', async (database) => {
    const { attachments, answers, round, unitId, me, taskId, tasks } = await setUp(database);
    const other: UserActor = { kind: 'user', userId: 102, username: 'guicai', name: '李华', role: 'reporter', unitId: unitId + 1 };
    const kept = await attachments.upload(me, round.id, taskId, unitId, { fileName: '留下.pdf', bytes: attachmentFiles.pdf('keep') });
    const gone = await attachments.upload(me, round.id, taskId, unitId, { fileName: '删除.pdf', bytes: attachmentFiles.pdf('gone') });
    await assert.rejects(attachments.remove(other, gone.id), refused('forbidden'));
    await assert.rejects(attachments.remove(office, gone.id), refused('forbidden'));
    await assert.rejects(attachments.upload(other, round.id, taskId, unitId, { fileName: 'x.pdf', bytes: attachmentFiles.pdf() }), refused('forbidden'));
    await assert.rejects(attachments.download(other, gone.id), refused('forbidden'));
    await attachments.remove(me, gone.id);
    await assert.rejects(attachments.download(me, gone.id), refused('attachment_not_found'));
    const audit = await database.db.selectFrom('audit_events').select('detail').where('action', '=', 'attachment.delete').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.detail!).fileName, '删除.pdf');

    // Submitted: the evidence is frozen with the answers.
    for (const id of tasks)
      await answers.saveAnswer(me, round.id, id, unitId, {
        text: '已推进',
        status: 'on_track',
        reason: null,
        version: (await answers.todo(me, round.id, unitId)).items.find((i) => i.task.id === id)!.answer.version,
      });
    await createSubmissionService({ database, now }).submit(me, round.id, unitId);
    await assert.rejects(attachments.remove(me, kept.id), refused('answers_locked'));
    await assert.rejects(attachments.upload(me, round.id, taskId, unitId, { fileName: '晚了.pdf', bytes: attachmentFiles.pdf() }), refused('answers_locked'));
    assert.equal((await attachments.download(office, kept.id)).attachment.fileName, '留下.pdf', 'the office still reads it');

    // Returned with one answer accepted: only the returned answer's evidence may change again.
    const submissions = createSubmissionService({ database, now });
    const [returnedTask, acceptedTask] = [tasks[1]!, taskId];
    await submissions.reviewAnswers(office, round.id, unitId, { decision: 'accept', taskIds: tasks.filter((id) => id !== returnedTask), comment: null });
    await submissions.reviewAnswers(office, round.id, unitId, { decision: 'return', taskIds: [returnedTask], comment: '请补充佐证材料' });
    await assert.rejects(attachments.remove(me, kept.id), refused('answer_locked'));
    await assert.rejects(
      attachments.upload(me, round.id, acceptedTask, unitId, { fileName: '已采纳.pdf', bytes: attachmentFiles.pdf() }),
      refused('answer_locked'),
    );
    await attachments.upload(me, round.id, returnedTask, unitId, { fileName: '补充.pdf', bytes: attachmentFiles.pdf('more') });

    await database.db
      .updateTable('answer_attachments')
      .set({ content: attachmentFiles.pdf('tampered') })
      .where('id', '=', kept.id)
      .execute();
    await assert.rejects(attachments.download(office, kept.id), refused('attachment_damaged'));
  });
});
