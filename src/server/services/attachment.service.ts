import { createHash } from 'node:crypto';
import type { Actor } from '../../domain/actor.ts';
import type { AttachmentView, SubmissionState } from '../../domain/api/round-view.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { AttachmentLimits } from '../../domain/limits.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { sniffAttachment } from '../documents/attachment-type.ts';
import { assertCanReadUnit, assertCanWriteUnit } from '../policies/round.policy.ts';
import { presentAttachment } from '../presenters/attachment.presenter.ts';
import { answerLock, EDITABLE } from './answer.service.ts';
import { audit, requireRound } from './round.service.ts';

export type AttachmentUpload = {
  /** The client's name, cleaned (http/upload.ts `uploadFileName`): shown, never used as a path. */
  fileName: string;
  bytes: Uint8Array;
};

export type AttachmentFile = { attachment: AttachmentView; bytes: Uint8Array };

/**
 * Evidence files (佐证材料) on a unit's answer: PDF, PNG/JPEG, .docx, .xlsx, told apart by content
 * (documents/attachment-type.ts). The bytes are stored in the database with their SHA-256, so a
 * backup carries them and a download can be checked. The unit's reporters and head add and
 * remove them while the unit's answers are editable; the unit, the office and leaders read them.
 * Uploads and deletions are audited in their transaction.
 */
export function createAttachmentService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  /** The unit's answer must be open for change: the round open, the task the unit's, the unit not submitted, the answer not closed by its review. */
  async function requireEditable(repositories: Repositories, roundId: number, taskId: number, unitId: number, what: string) {
    const context = await repositories.roundWork.findSaveContext(roundId, taskId, unitId);
    if (!context) throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
    if (context.round.status !== 'open') throw conflict('round_not_open', `调度轮次“${context.round.label}”已结束或不接受填报，不能${what}`, { roundId });
    if (!context.assigned || !context.submission) throw notFound('task_not_assigned', '该任务不在本单位本轮的填报范围内', { roundId, taskId, unitId });
    if (!EDITABLE.includes(context.submission.state as SubmissionState))
      throw conflict('answers_locked', `本单位的填报已${context.submission.state === 'accepted' ? '通过' : '提交'}，不能${what}；如需修改请联系办公室退回`, {
        state: context.submission.state,
      });
    const lock = answerLock(context.submission, context.answer);
    if (lock)
      throw conflict('answer_locked', `该项${lock === 'accepted' ? '已被采纳' : '未被退回'}，不能${what}；只能修改被退回的项`, {
        reviewState: context.answer!.review_state,
      });
    return context;
  }

  return {
    /** Refuses someone who may not add files to the unit's answers before their upload is read. */
    assertCanUpload(actor: Actor, unitId: number): void {
      assertCanWriteUnit(actor, unitId, '上传佐证材料');
    },

    /** Stores one file on the unit's answer to the task. */
    async upload(actor: Actor, roundId: number, taskId: number, unitId: number, file: AttachmentUpload): Promise<AttachmentView> {
      const writer = assertCanWriteUnit(actor, unitId, '上传佐证材料');
      if (file.bytes.length > AttachmentLimits.fileBytes)
        throw invalid('attachment_too_large', `${file.fileName}：文件超过 ${AttachmentLimits.fileBytes / 1024 / 1024} MB，请压缩或拆分后再上传`, {
          file: file.fileName,
          max: AttachmentLimits.fileBytes,
        });
      // Read before the transaction: a bad file never holds the write lock.
      const type = sniffAttachment(file.bytes, file.fileName);
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      return inTransaction(database, async (repositories) => {
        const context = await requireEditable(repositories, roundId, taskId, unitId, '上传佐证材料');
        const existing = await repositories.attachments.listOfAnswer(roundId, taskId, unitId);
        if (existing.length >= AttachmentLimits.perAnswer)
          throw invalid('attachment_too_many', `每项任务最多上传 ${AttachmentLimits.perAnswer} 个佐证材料，请先删除不需要的文件`, {
            max: AttachmentLimits.perAnswer,
          });
        const at = now();
        const row = await repositories.attachments.insert({
          round_id: roundId,
          task_id: taskId,
          unit_id: unitId,
          file_name: file.fileName,
          kind: type.kind,
          content_type: type.contentType,
          size_bytes: file.bytes.length,
          sha256,
          content: file.bytes,
          uploaded_at: at,
          uploaded_by_user_id: writer.userId,
          uploaded_by_name: writer.name,
        });
        // Evidence counts as work on the answers, like a first draft.
        if (context.submission!.state === 'not_started')
          await repositories.roundWork.transitionSubmission(context.submission!.id, context.submission!.version, { state: 'draft', updated_at: at });
        await audit(repositories, actor, at, {
          action: 'attachment.upload',
          objectType: 'attachment',
          objectId: row.id,
          detail: { roundId, taskId, unitId, fileName: row.file_name, kind: row.kind, sizeBytes: row.size_bytes, sha256 },
        });
        return presentAttachment(row);
      });
    },

    /** The files on one unit's answer to a task, oldest first. */
    async list(actor: Actor, roundId: number, taskId: number, unitId: number): Promise<AttachmentView[]> {
      assertCanReadUnit(actor, unitId, '查看佐证材料');
      return inReadTransaction(database, async (repositories) => {
        await requireRound(repositories, roundId);
        return (await repositories.attachments.listOfAnswer(roundId, taskId, unitId)).map(presentAttachment);
      });
    },

    /** One file's bytes, checked against the stored SHA-256 before they are handed out. */
    async download(actor: Actor, id: number): Promise<AttachmentFile> {
      return inReadTransaction(database, async (repositories) => {
        const row = await repositories.attachments.find(id);
        if (!row) throw notFound('attachment_not_found', `佐证材料 ${id} 不存在或已删除`, { id });
        assertCanReadUnit(actor, row.unit_id, '下载佐证材料');
        const bytes = await repositories.attachments.findContent(id);
        if (!bytes || createHash('sha256').update(bytes).digest('hex') !== row.sha256)
          throw conflict('attachment_damaged', `佐证材料“${row.file_name}”的内容与存储时的校验值不符，请联系系统管理员从备份恢复`, { id });
        return { attachment: presentAttachment(row), bytes };
      });
    },

    /** Removes a file from the unit's answer while the answer is editable. */
    async remove(actor: Actor, id: number): Promise<void> {
      await inTransaction(database, async (repositories) => {
        const row = await repositories.attachments.find(id);
        if (!row) throw notFound('attachment_not_found', `佐证材料 ${id} 不存在或已删除`, { id });
        assertCanWriteUnit(actor, row.unit_id, '删除佐证材料');
        await requireEditable(repositories, row.round_id, row.task_id, row.unit_id, '删除佐证材料');
        if (!(await repositories.attachments.delete(id))) throw notFound('attachment_not_found', `佐证材料 ${id} 不存在或已删除`, { id });
        await audit(repositories, actor, now(), {
          action: 'attachment.delete',
          objectType: 'attachment',
          objectId: id,
          detail: { roundId: row.round_id, taskId: row.task_id, unitId: row.unit_id, fileName: row.file_name, sizeBytes: row.size_bytes, sha256: row.sha256 },
        });
      });
    },
  };
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
