import { DeleteOutlined, FileExcelOutlined, FileImageOutlined, FilePdfOutlined, FileWordOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button, Flex, Popconfirm, Typography } from 'antd';
import type { AttachmentKind, AttachmentView } from '../../domain/api/round-view.ts';
import { attachmentDownloadUrl } from '../lib/api.ts';
import { formatDateTime } from '../lib/format.ts';

const ICONS: Record<AttachmentKind, typeof FilePdfOutlined> = {
  pdf: FilePdfOutlined,
  png: FileImageOutlined,
  jpeg: FileImageOutlined,
  docx: FileWordOutlined,
  xlsx: FileExcelOutlined,
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / 1024 / 102.4) / 10} MB`;
}

/**
 * An answer's evidence files (佐证材料): each a download link (the server names the file in its
 * Content-Disposition), its size, who uploaded it and when; a delete button where `onDelete` is given.
 */
export function AttachmentList({
  attachments,
  onDelete,
  deletingId,
}: {
  attachments: readonly AttachmentView[];
  onDelete?: ((attachment: AttachmentView) => void) | undefined;
  deletingId?: number | null | undefined;
}) {
  if (attachments.length === 0) return null;
  return (
    <ul aria-label="佐证材料" style={{ listStyle: 'none', padding: 0, margin: '4px 0 0' }}>
      {attachments.map((attachment) => {
        const Icon = ICONS[attachment.kind] ?? PaperClipOutlined;
        return (
          <li key={attachment.id} style={{ padding: '2px 0' }}>
            <Flex gap={8} align="center" wrap>
              <Icon aria-hidden />
              <a href={attachmentDownloadUrl(attachment)} download style={{ wordBreak: 'break-all' }}>
                {attachment.fileName}
              </a>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {formatBytes(attachment.sizeBytes)} · {attachment.uploadedBy} 上传于 {formatDateTime(attachment.uploadedAt)}
              </Typography.Text>
              {onDelete && (
                <Popconfirm
                  title={`删除佐证材料“${attachment.fileName}”？`}
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => onDelete(attachment)}
                >
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    disabled={deletingId === attachment.id}
                    aria-label={`删除 ${attachment.fileName}`}
                  />
                </Popconfirm>
              )}
            </Flex>
          </li>
        );
      })}
    </ul>
  );
}
