import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Typography, Upload } from 'antd';
import type { AttachmentView } from '../../../../domain/api/round-view.ts';
import { AttachmentLimits } from '../../../../domain/limits.ts';
import { AttachmentList } from '../../../components/AttachmentList.tsx';
import { describeError } from '../../../lib/api.ts';
import { useDeleteAttachment, useUploadAttachment } from '../api/todo.ts';

const MB = AttachmentLimits.fileBytes / 1024 / 1024;

/** 佐证材料 of one answer on the to-do page: the list, and while the answer is editable, upload and delete. */
export function AnswerAttachments({
  roundId,
  unitId,
  taskId,
  attachments,
  editable,
}: {
  roundId: number;
  unitId: number;
  taskId: number;
  attachments: readonly AttachmentView[];
  editable: boolean;
}) {
  const { message } = App.useApp();
  const upload = useUploadAttachment(roundId, taskId, unitId);
  const remove = useDeleteAttachment(roundId, unitId);
  if (!editable && attachments.length === 0) return null;
  const full = attachments.length >= AttachmentLimits.perAnswer;

  const send = (file: File) => {
    // The server checks again; this only spares a long upload that would be refused.
    if (file.size > AttachmentLimits.fileBytes) {
      message.error(`${file.name}：文件超过 ${MB} MB，请压缩或拆分后再上传`);
      return;
    }
    upload.mutate(file, {
      onSuccess: (saved) => message.success(`已上传佐证材料“${saved.fileName}”`),
      onError: (error) => message.error(`上传失败：${describeError(error)}`),
    });
  };

  return (
    <div style={{ marginTop: 12 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text type="secondary">佐证材料{attachments.length > 0 ? `（${attachments.length}）` : ''}</Typography.Text>
        {editable && (
          <Upload
            accept={AttachmentLimits.extensions.join(',')}
            showUploadList={false}
            multiple
            disabled={full}
            beforeUpload={(file) => {
              send(file);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} disabled={full || upload.isPending}>
              {upload.isPending ? '正在上传…' : '上传佐证材料'}
            </Button>
          </Upload>
        )}
        {editable && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} className="hide-on-phone">
            PDF、图片、Word、Excel，单个不超过 {MB} MB，最多 {AttachmentLimits.perAnswer} 个
          </Typography.Text>
        )}
      </Flex>
      <AttachmentList
        attachments={attachments}
        deletingId={remove.isPending ? (remove.variables?.id ?? null) : null}
        onDelete={
          editable
            ? (attachment) =>
                remove.mutate(attachment, {
                  onSuccess: () => message.success(`已删除佐证材料“${attachment.fileName}”`),
                  onError: (error) => message.error(`删除失败：${describeError(error)}`),
                })
            : undefined
        }
      />
    </div>
  );
}
