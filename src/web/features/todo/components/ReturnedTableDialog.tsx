import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Collapse, Empty, Flex, Modal, Space, Spin, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { RETURNED_CHANGE_LABELS, type ReturnedChange, type ReturnedTableItem, type ReturnedTableView } from '../../../../domain/api/returned-table-view.ts';
import { ClampText } from '../../../components/ClampText.tsx';
import { ApiError, describeError } from '../../../lib/api.ts';
import { chapterLabel, sectionLabel } from '../../../lib/format.ts';
import { useApplyReturnedTable, usePreviewReturnedTable } from '../api/returned-table.ts';

const CHANGE_COLORS: Record<ReturnedChange, string> = { changed: 'orange', new: 'green', cleared: 'red', unchanged: 'default' };
const ACCEPT =
  '.docx,.xlsx,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The stored text and the file's text in one run: removed characters struck through in red, added ones in green. */
function DiffText({ item }: { item: ReturnedTableItem }) {
  if (item.change === 'unchanged') return <div className="prose">{item.after || <Typography.Text type="secondary">（均为空）</Typography.Text>}</div>;
  return (
    <div
      className="prose"
      aria-label="修改对照"
      style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, maxHeight: 320, overflow: 'auto' }}
    >
      {item.segments.map((segment, index) =>
        segment.kind === 'added' ? (
          <ins key={index} style={{ background: '#d9f7be', textDecoration: 'none' }}>
            {segment.text}
          </ins>
        ) : segment.kind === 'removed' ? (
          <del key={index} style={{ background: '#ffccc7', color: '#a8071a' }}>
            {segment.text}
          </del>
        ) : (
          <span key={index}>{segment.text}</span>
        ),
      )}
    </div>
  );
}

function ItemCard({ item }: { item: ReturnedTableItem }) {
  const title = `第${item.number}项 ${chapterLabel(item.chapterNumber)}${sectionLabel(item.sectionNumber)}`;
  return (
    <Card
      size="small"
      role="region"
      aria-label={`回传表 ${title}`}
      style={{ marginBottom: 12 }}
      title={
        <Flex gap={8} align="center" wrap>
          <span>{title}</span>
          <Tag color={CHANGE_COLORS[item.change]}>{RETURNED_CHANGE_LABELS[item.change]}</Tag>
          {item.matchedBy === 'position' && <Tag color="gold">按位置对应</Tag>}
        </Flex>
      }
    >
      <div style={{ marginBottom: 8 }}>
        <ClampText text={item.taskText} lines={2} threshold={80} />
      </div>
      {item.change === 'cleared' ? (
        <Alert
          type="warning"
          showIcon
          title="表中此项为空：不会删除已保存的内容"
          description={
            <div className="prose" style={{ maxHeight: 160, overflow: 'auto' }}>
              已保存：{item.before}
            </div>
          }
        />
      ) : (
        <DiffText item={item} />
      )}
      {item.notes.length > 0 && (
        <ul style={{ margin: '8px 0 0', paddingLeft: 20 }}>
          {item.notes.map((note) => (
            <li key={note}>
              <Typography.Text type="secondary">{note}</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Counts({ view }: { view: ReturnedTableView }) {
  const { counts } = view;
  const entries: [string, number, string][] = [
    ['修改', counts.changed, 'orange'],
    ['新填', counts.new, 'green'],
    ['表中已清空', counts.cleared, 'red'],
    ['未变', counts.unchanged, 'default'],
    ['未对上的行', counts.unmatched, counts.unmatched ? 'volcano' : 'default'],
    ['非本单位任务', counts.ignored, 'default'],
    ['表中缺少', counts.missing, counts.missing ? 'volcano' : 'default'],
  ];
  return (
    <Flex gap={8} wrap aria-label="对照结果统计">
      {entries.map(([label, value, color]) => (
        <Tag key={label} color={color} style={{ fontSize: 14, padding: '2px 8px' }}>
          {label} {value}
        </Tag>
      ))}
    </Flex>
  );
}

function Preview({ view, showUnchanged, setShowUnchanged }: { view: ReturnedTableView; showUnchanged: boolean; setShowUnchanged: (value: boolean) => void }) {
  const shown = view.items.filter((item) => showUnchanged || item.change !== 'unchanged');
  const extra = [
    view.unmatched.length > 0 && {
      key: 'unmatched',
      label: `未对上的行（${view.unmatched.length}）：不会导入`,
      children: (
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {view.unmatched.map((row) => (
            <li key={row.row}>
              表中第{row.row}行“{row.textHead}”：{row.reason}
            </li>
          ))}
        </ul>
      ),
    },
    view.missing.length > 0 && {
      key: 'missing',
      label: `表中缺少本单位的任务（${view.missing.length}）：保持原样`,
      children: (
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {view.missing.map((task) => (
            <li key={task.taskId}>
              第{task.number}项“{task.textHead}”
            </li>
          ))}
        </ul>
      ),
    },
    view.warnings.length > 0 && {
      key: 'warnings',
      label: `读取文件时的提示（${view.warnings.length}）`,
      children: (
        <ul style={{ margin: 0, paddingLeft: 20, maxHeight: 200, overflow: 'auto' }}>
          {view.warnings.map((warning, index) => (
            <li key={index}>{warning}</li>
          ))}
        </ul>
      ),
    },
  ].filter((entry) => entry !== false);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Typography.Text>
        文件“{view.fileName}”与本单位在“{view.round.label}”已保存的填报逐项对照：
      </Typography.Text>
      <Counts view={view} />
      {view.notes.map((note) => (
        <Alert key={note} type="info" showIcon title={note} />
      ))}
      {extra.length > 0 && <Collapse size="small" items={extra} />}
      <Typography.Text type="secondary">
        对照中<del style={{ background: '#ffccc7', color: '#a8071a' }}>红色删除线</del>是表中删去的文字，
        <ins style={{ background: '#d9f7be', textDecoration: 'none' }}>绿色底</ins>是表中新增的文字。
      </Typography.Text>
      <Checkbox checked={showUnchanged} onChange={(e) => setShowUnchanged(e.target.checked)}>
        同时显示未变的 {view.counts.unchanged} 项
      </Checkbox>
      {shown.length === 0 ? (
        <Empty description="表中本单位的推进情况与已保存的内容相同，没有需要导入的修改" />
      ) : (
        shown.map((item) => <ItemCard key={item.taskId} item={item} />)
      )}
    </Space>
  );
}

/**
 * 导入回传表: the unit's table filled in offline, uploaded, compared with what is stored, and
 * (after the reporter has looked) its changed and new texts saved as drafts. Nothing is
 * submitted: the to-do list reloads with the drafts in its editors for review.
 */
export function ReturnedTableDialog({
  open,
  roundId,
  unitId,
  onClose,
  beforePreview,
}: {
  open: boolean;
  roundId: number;
  unitId: number;
  onClose: () => void;
  /** Saves what the editors hold first, so the comparison is with the latest text. */
  beforePreview: () => Promise<boolean>;
}) {
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [showUnchanged, setShowUnchanged] = useState(false);
  const preview = usePreviewReturnedTable(roundId, unitId);
  const apply = useApplyReturnedTable(roundId, unitId);
  const view = preview.data;
  const toWrite = view ? view.counts.changed + view.counts.new : 0;
  const stale = apply.error instanceof ApiError && apply.error.code === 'returned_table_stale';

  const choose = async (chosen: File) => {
    setFile(chosen);
    apply.reset();
    if (!(await beforePreview())) {
      message.error('有内容尚未保存到服务器，请先处理页面上的提示，再导入回传表');
      return;
    }
    preview.mutate(chosen);
  };

  const close = () => {
    setFile(null);
    preview.reset();
    apply.reset();
    setShowUnchanged(false);
    onClose();
  };

  const doApply = () => {
    if (!file || !view) return;
    apply.mutate(
      { file, preview: view },
      {
        onSuccess: (result) => {
          message.success(`已将 ${result.written ?? 0} 项推进情况导入为草稿，请逐项核对后再提交`);
          close();
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title="导入回传表"
      width={960}
      onCancel={close}
      destroyOnHidden
      maskClosable={false}
      footer={
        <Flex justify="space-between" gap={8} wrap>
          <Typography.Text type="secondary" style={{ alignSelf: 'center' }}>
            只导入本单位的推进情况，保存为草稿；不会自动提交，也不会删除已保存的内容。
          </Typography.Text>
          <Space>
            <Button onClick={close}>取消</Button>
            {view && (
              <Button
                type="primary"
                onClick={doApply}
                loading={apply.isPending}
                disabled={!view.submission.editable || toWrite === 0 || apply.isPending || stale}
              >
                导入为草稿（{toWrite} 项）
              </Button>
            )}
          </Space>
        </Flex>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        <Upload.Dragger
          accept={ACCEPT}
          multiple={false}
          showUploadList={false}
          beforeUpload={(chosen) => {
            void choose(chosen);
            return false;
          }}
          disabled={preview.isPending || apply.isPending}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? `已选择：${file.name}（点击或拖入以更换）` : '点击或将回传的调度表拖到此处'}</p>
          <p className="ant-upload-hint">Word (.docx) 或 Excel (.xlsx)，即办公室下发、本单位在“推进情况”栏填写后的调度表</p>
        </Upload.Dragger>
        {preview.isPending && (
          <Flex justify="center" style={{ padding: 24 }}>
            <Spin description="正在读取并对照…">
              <div style={{ width: 200, height: 40 }} />
            </Spin>
          </Flex>
        )}
        {preview.error && <Alert type="error" showIcon title="无法读取这个文件" description={describeError(preview.error)} />}
        {apply.error && (
          <Alert
            type="error"
            showIcon
            title={stale ? '预览之后内容有变化，未导入' : '导入失败，未写入任何内容'}
            description={describeError(apply.error)}
            action={
              stale && file ? (
                <Button size="small" onClick={() => void choose(file)}>
                  重新对照
                </Button>
              ) : undefined
            }
          />
        )}
        {view && !preview.isPending && <Preview view={view} showUnchanged={showUnchanged} setShowUnchanged={setShowUnchanged} />}
      </Space>
    </Modal>
  );
}
