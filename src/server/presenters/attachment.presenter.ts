import type { AttachmentKind, AttachmentView } from '../../domain/api/round-view.ts';
import type { AttachmentRecord } from '../db/repositories/attachment.repository.ts';

export function presentAttachment(row: AttachmentRecord): AttachmentView {
  return {
    id: row.id,
    roundId: row.round_id,
    taskId: row.task_id,
    unitId: row.unit_id,
    fileName: row.file_name,
    kind: row.kind as AttachmentKind,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    uploadedAt: row.uploaded_at,
    uploadedBy: row.uploaded_by_name,
  };
}
