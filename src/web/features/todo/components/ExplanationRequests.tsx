import { App, Button, Card, Flex, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ExplanationView } from '../../../../domain/api/insight-view.ts';
import { ExplanationLimits } from '../../../../domain/limits.ts';
import { ClampText } from '../../../components/ClampText.tsx';
import { describeError } from '../../../lib/api.ts';
import { FINDING_KIND_LABELS, placeLabel } from '../../../lib/findings.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useReplyExplanation, useUnitExplanations } from '../api/explanations.ts';

const REPLY_MAX = ExplanationLimits.reply.max;

function Request({ request, unitId }: { request: ExplanationView; unitId: number }) {
  const { message, modal } = App.useApp();
  const reply = useReplyExplanation(unitId);
  const [text, setText] = useState('');
  const place = placeLabel(request.task);
  const id = `explanation-reply-${request.id}`;
  const send = () =>
    modal.confirm({
      autoFocusButton: 'cancel',
      title: `提交对 ${place} 的说明？`,
      content: `将把说明提交办公室（${request.roundLabel}），提交后不能修改。`,
      okText: '提交',
      cancelText: '取消',
      onOk: () =>
        reply.mutateAsync({ id: request.id, reply: text.trim() }).then(
          () => void message.success('说明已提交办公室'),
          (error: unknown) => void message.error(describeError(error)),
        ),
    });
  return (
    <div role="article" aria-label={`请说明 ${request.roundLabel} ${place}`} style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }}>
      <Flex gap={8} wrap align="center">
        <Typography.Text strong>{request.roundLabel}</Typography.Text>
        <Typography.Text>任务 {place}</Typography.Text>
        <Tag>{FINDING_KIND_LABELS[request.kind]}</Tag>
        <Typography.Text type="secondary">
          {request.requestedBy} {formatDateTime(request.requestedAt)}
        </Typography.Text>
      </Flex>
      <div style={{ background: '#fafafa', borderRadius: 6, padding: 8, margin: '4px 0' }}>
        <ClampText text={request.taskText} lines={2} threshold={100} />
      </div>
      <div className="prose" style={{ marginBottom: 6 }}>
        {request.message}
      </div>
      <label htmlFor={id}>本单位的说明</label>
      <Input.TextArea
        id={id}
        value={text}
        onChange={(event) => setText(event.target.value)}
        autoSize={{ minRows: 2, maxRows: 8 }}
        count={{ show: true, max: REPLY_MAX }}
        placeholder="请说明原因、本期具体进展及下一步措施"
        style={{ marginTop: 4 }}
      />
      <Flex justify="flex-end" style={{ marginTop: 20 }}>
        <Button
          type="primary"
          disabled={!text.trim() || text.length > REPLY_MAX}
          loading={reply.isPending}
          onClick={send}
          aria-label={`提交对 ${place} 的说明`}
        >
          提交
        </Button>
      </Flex>
    </div>
  );
}

/** 请说明 from the office, above the unit's to-do (also when no round is open): each answered in its own box. */
export function ExplanationRequests({ unitId }: { unitId: number }) {
  const query = useUnitExplanations(unitId);
  const open = (query.data ?? []).filter((request) => request.reply === null);
  if (open.length === 0) return null;
  return (
    <Card size="small" title={`办公室请说明（${open.length}）`} style={{ marginBottom: 16, borderColor: '#faad14' }} role="region" aria-label="办公室请说明">
      {open.map((request) => (
        <Request key={request.id} request={request} unitId={unitId} />
      ))}
    </Card>
  );
}
