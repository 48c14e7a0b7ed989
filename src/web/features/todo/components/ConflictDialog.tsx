import { Alert, Button, Col, Flex, Input, Modal, Row, Typography } from 'antd';
import { useState } from 'react';
import type { AnswerConflictDetails } from '../../../../domain/api/round-view.ts';
import { AnswerLimits } from '../../../../domain/limits.ts';
import { ProgressStatusTag } from '../../../components/StatusTags.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { mergeStart } from './merge.ts';
import type { AnswerValues } from './useAnswerAutosave.ts';

function Version({ title, values, meta }: { title: string; values: AnswerValues; meta?: string }) {
  return (
    <section aria-label={title} style={{ height: '100%' }}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {meta && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {meta}
        </Typography.Text>
      )}
      <div style={{ margin: '6px 0' }}>
        状态：{values.status ? <ProgressStatusTag status={values.status} /> : '未选择'}
        {values.reason && <div>原因：{values.reason}</div>}
      </div>
      <div
        className="prose"
        style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, maxHeight: 280, overflow: 'auto', minHeight: 80 }}
      >
        {values.text || <Typography.Text type="secondary">（空）</Typography.Text>}
      </div>
    </section>
  );
}

/**
 * Someone saved this answer after the user started editing (409). Both versions side by side;
 * the user keeps theirs, takes the server's, or writes a merge. Nothing is discarded unasked.
 */
export function ConflictDialog({
  taskTitle,
  details,
  mine,
  onKeepMine,
  onTakeTheirs,
  onSaveMerged,
}: {
  taskTitle: string;
  details: AnswerConflictDetails;
  mine: AnswerValues;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onSaveMerged: (text: string) => void;
}) {
  const [merging, setMerging] = useState(false);
  const [merged, setMerged] = useState('');
  const stored = details.stored;
  return (
    <Modal
      open
      title="内容冲突：此项已被他人修改"
      width={960}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        merging ? (
          <Flex gap={8} justify="flex-end" wrap>
            <Button onClick={() => setMerging(false)}>返回</Button>
            <Button type="primary" disabled={merged.length > AnswerLimits.text.max} onClick={() => onSaveMerged(merged)}>
              保存合并结果
            </Button>
          </Flex>
        ) : (
          <Flex gap={8} justify="flex-end" wrap>
            <Button onClick={onTakeTheirs}>采用服务器版本</Button>
            <Button
              onClick={() => {
                setMerged(mergeStart(stored.text, mine.text));
                setMerging(true);
              }}
            >
              编辑合并
            </Button>
            <Button type="primary" onClick={onKeepMine}>
              保留我的版本
            </Button>
          </Flex>
        )
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={`“${taskTitle}”在您编辑期间已被${stored.updatedBy ? `“${stored.updatedBy}”` : '他人'}保存。您的内容没有丢失，请选择保留哪个版本。`}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Version
            title="服务器上的版本"
            values={stored}
            meta={`${stored.updatedBy ?? ''} ${stored.updatedAt ? `保存于 ${formatDateTime(stored.updatedAt)}` : ''}`.trim()}
          />
        </Col>
        <Col xs={24} md={12}>
          <Version title="您的版本" values={mine} meta="尚未保存到服务器" />
        </Col>
      </Row>
      {merging && (
        <div style={{ marginTop: 16, marginBottom: 16 }}>
          <label htmlFor="merged-text">
            <Typography.Text strong>合并后的内容</Typography.Text>
          </label>
          <Input.TextArea
            id="merged-text"
            value={merged}
            onChange={(e) => setMerged(e.target.value)}
            autoSize={{ minRows: 5, maxRows: 14 }}
            count={{ show: true, max: AnswerLimits.text.max }}
            style={{ marginTop: 6 }}
          />
        </div>
      )}
    </Modal>
  );
}
