import { Alert, Button, Flex, Modal, Table, Typography } from 'antd';
import type { NoticeView } from '../../../../domain/api/notice-view.ts';
import { formatNoticeDate } from '../../../../domain/notice.ts';
import type { Notice } from '../../../../domain/plan-document.ts';
import { formatDateTime } from '../../../lib/format.ts';

/** The notice's parts in document order, as the form names them, each shown as one text. */
const PARTS: { label: string; text: (notice: Notice) => string }[] = [
  { label: '发文机关', text: (n) => n.issuingOffice ?? '' },
  { label: '文号', text: (n) => n.docNumber ?? '' },
  { label: '标题', text: (n) => n.title ?? '' },
  { label: '主送机关', text: (n) => n.recipients ?? '' },
  { label: '正文', text: (n) => n.body.join('\n') },
  { label: '附件', text: (n) => n.attachment ?? '' },
  { label: '落款', text: (n) => n.issuer ?? '' },
  { label: '成文日期', text: (n) => (n.date ? formatNoticeDate(n.date) : '') },
  { label: '联系人', text: (n) => [n.contact.unit, n.contact.name, n.contact.phone].filter(Boolean).join(' ') },
  { label: '抄送', text: (n) => n.cc.join('，') },
  { label: '印发机关', text: (n) => n.printed.by ?? '' },
  { label: '印发日期', text: (n) => (n.printed.date ? formatNoticeDate(n.printed.date) : '') },
];

export type NoticeDifference = { label: string; theirs: string; mine: string };

/** The parts where two notices differ, in document order. */
export function noticeDifferences(theirs: Notice, mine: Notice): NoticeDifference[] {
  return PARTS.map((part) => ({ label: part.label, theirs: part.text(theirs), mine: part.text(mine) })).filter((d) => d.theirs !== d.mine);
}

const cell = (text: string) => (
  <div style={{ whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}>{text || <Typography.Text type="secondary">（空）</Typography.Text>}</div>
);

/** The differing parts side by side: what is stored now, and what the user typed. */
export function DifferenceTable({ differences, theirsTitle, mineTitle }: { differences: NoticeDifference[]; theirsTitle: string; mineTitle: string }) {
  return (
    <Table<NoticeDifference>
      size="small"
      pagination={false}
      rowKey="label"
      dataSource={differences}
      columns={[
        { title: '项目', dataIndex: 'label', width: 96 },
        { title: theirsTitle, dataIndex: 'theirs', render: cell },
        { title: mineTitle, dataIndex: 'mine', render: cell },
      ]}
    />
  );
}

/**
 * Someone saved the notice after this form was loaded (409 version_conflict). Shows who, which
 * version, and every part that differs; the user loads their version (the typed text stays on
 * screen) or keeps their own and saves again over it. Nothing is discarded unasked.
 */
export function NoticeConflictDialog({
  current,
  mine,
  onLoadTheirs,
  onKeepMine,
}: {
  current: NoticeView;
  mine: Notice;
  onLoadTheirs: () => void;
  onKeepMine: () => void;
}) {
  const differences = noticeDifferences(current.notice, mine);
  const who = current.updatedBy ? `“${current.updatedBy}”` : '他人';
  const when = current.updatedAt ? `于 ${formatDateTime(current.updatedAt)} ` : '';
  return (
    <Modal
      open
      title="通报已被他人修改"
      width={1000}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Flex gap={8} justify="flex-end" wrap>
          <Button onClick={onLoadTheirs}>载入对方的版本（第 {current.version} 版）</Button>
          <Button type="primary" onClick={onKeepMine}>
            保留我的修改
          </Button>
        </Flex>
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={`在您编辑期间，${who}${when}保存了第 ${current.version} 版。您的修改尚未保存，也没有覆盖对方的版本。`}
        description="载入对方的版本后，您的修改仍显示在表单上方，可逐项复制；保留我的修改后，再次点击“保存”将以您的版本替换对方的版本。"
      />
      {differences.length > 0 ? (
        <DifferenceTable differences={differences} theirsTitle={`对方保存的（第 ${current.version} 版）`} mineTitle="您的修改（未保存）" />
      ) : (
        <Typography.Paragraph>两个版本内容相同。</Typography.Paragraph>
      )}
    </Modal>
  );
}
