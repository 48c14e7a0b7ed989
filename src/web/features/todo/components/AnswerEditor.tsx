import { CheckCircleOutlined, CloudSyncOutlined, ExclamationCircleOutlined, EditOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Collapse, Flex, Form, Input, Popconfirm, Row, Space, Typography } from 'antd';
import { useEffect, useId } from 'react';
import type { AnswerView, TodoView } from '../../../../domain/api/round-view.ts';
import { AnswerLimits, PROGRESS_STATUSES, PROGRESS_STATUS_LABELS, type ProgressStatus } from '../../../../domain/limits.ts';
import { ClampText } from '../../../components/ClampText.tsx';
import { NativeSelect } from '../../../components/NativeSelect.tsx';
import { AnswerReviewTag, CopiedFromPreviousTag, ProgressStatusTag, SubmissionStateTag, UnitRoleTag } from '../../../components/StatusTags.tsx';
import { chapterLabel, formatDateTime, formatTime, sectionLabel } from '../../../lib/format.ts';
import { STATUSES_NEEDING_REASON } from '../../../lib/labels.ts';
import { AnswerAttachments } from './AnswerAttachments.tsx';
import { ConflictDialog } from './ConflictDialog.tsx';
import { useAnswerAutosave, type Autosave, type SaveState } from './useAnswerAutosave.ts';
import { InstructionsPanel } from './InstructionsPanel.tsx';
import { useWords } from '../../../lib/organisation.ts';

type Item = TodoView['items'][number];

function SaveIndicator({ state }: { state: SaveState }) {
  const style = { fontSize: 13 };
  switch (state.kind) {
    case 'saved':
      return (
        <Typography.Text type="success" style={style}>
          <CheckCircleOutlined /> {state.stashed ? '已暂存' : '已保存'} {formatTime(state.at)}
        </Typography.Text>
      );
    case 'saving':
      return (
        <Typography.Text type="secondary" style={style}>
          <CloudSyncOutlined /> 正在保存…
        </Typography.Text>
      );
    case 'dirty':
      return (
        <Typography.Text type="secondary" style={style}>
          <EditOutlined /> 有未保存的修改
        </Typography.Text>
      );
    case 'error':
      return (
        <Typography.Text type="danger" style={style}>
          <ExclamationCircleOutlined /> 保存失败：{state.message}
        </Typography.Text>
      );
    case 'conflict':
      return (
        <Typography.Text type="warning" style={style}>
          <ExclamationCircleOutlined /> 与服务器上的版本冲突，请选择
        </Typography.Text>
      );
    default:
      return null;
  }
}

export function itemTitle(item: Item, index: number): string {
  return `第${index + 1}项 ${chapterLabel(item.task.chapterNumber)}${sectionLabel(item.task.sectionNumber)}`;
}

/**
 * One task of the unit's to-do list: last round's text beside this round's box, a status, a
 * reason where the status needs one, autosave, and the conflict dialog.
 */
export function AnswerEditor({
  roundId,
  unitId,
  item,
  index,
  editable: editableUnit,
  register,
  onFilledChange,
  onStatusChange,
  onSaved,
  answeredByOffice = false,
}: {
  roundId: number;
  unitId: number;
  item: Item;
  index: number;
  editable: boolean;
  register: (taskId: number, autosave: Autosave | null) => void;
  onFilledChange: (taskId: number, filled: boolean) => void;
  onStatusChange?: (taskId: number, hasStatus: boolean) => void;
  onSaved?: (saved: AnswerView) => void;
  /** The office writing for a collective unit (各处(室) …): no 批示 panel, no evidence files. */
  answeredByOffice?: boolean;
}) {
  // Review per answer (issue 12): in a returned unit only the returned answers open again; accepted ones stay read-only.
  const review = item.review;
  const editable = editableUnit && review.state !== 'accepted' && review.state !== 'approved';
  const autosave = useAnswerAutosave(roundId, unitId, item.answer, editable, onSaved);
  const { values, state, change } = autosave;
  const id = useId();
  const words = useWords();
  const title = itemTitle(item, index);
  const needsReason = values.status !== null && STATUSES_NEEDING_REASON.includes(values.status);
  const reasonMissing = needsReason && !values.reason?.trim();
  const reasonTooLong = needsReason && (values.reason?.length ?? 0) > AnswerLimits.reason.max;
  const overLimit = values.text.length > AnswerLimits.text.max;

  useEffect(() => {
    register(item.task.id, autosave);
    return () => register(item.task.id, null);
  });

  // Counted as filled once it has text (the submit rule); a missing status is counted apart.
  const filled = Boolean(values.text.trim());
  useEffect(() => onFilledChange(item.task.id, filled), [filled, item.task.id, onFilledChange]);
  const hasStatus = values.status !== null;
  useEffect(() => onStatusChange?.(item.task.id, hasStatus), [hasStatus, item.task.id, onStatusChange]);

  return (
    <Card
      size="small"
      style={{ marginBottom: 16, ...(review.state === 'returned' ? { borderColor: '#cf1322', borderWidth: 2 } : {}) }}
      role="region"
      aria-label={title}
      title={
        <Flex gap={8} wrap align="center" style={{ padding: '4px 0' }}>
          <span>{title}</span>
          <UnitRoleTag role={item.task.role} />
          {review.state && <AnswerReviewTag state={review.state} />}
          <CopiedFromPreviousTag answer={item.answer} />
          {item.task.leaders.length > 0 && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              {words.leadersColumn}：{item.task.leaders.join('、')}
            </Typography.Text>
          )}
          {item.task.due && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
              完成时限：{item.task.due}
            </Typography.Text>
          )}
        </Flex>
      }
      extra={
        editable ? (
          <Flex gap={8} align="center" wrap justify="flex-end">
            <SaveIndicator state={state} />
            <Button
              size="small"
              icon={<SaveOutlined />}
              disabled={state.kind === 'conflict'}
              onClick={() => void autosave.stash()}
              title="立即保存为草稿（不提交）"
            >
              暂存
            </Button>
          </Flex>
        ) : null
      }
    >
      {review.state === 'returned' && review.comment && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={`此项被退回，请按意见修改后重新提交${review.reviewedBy ? `（${review.reviewedBy}${review.reviewedAt ? `，${formatDateTime(review.reviewedAt)}` : ''}）` : ''}`}
          description={<span className="prose">退回意见：{review.comment}</span>}
        />
      )}
      <div style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">具体工作任务：</Typography.Text>
        <ClampText text={item.task.text} lines={3} threshold={150} />
      </div>
      {!answeredByOffice && <InstructionsPanel roundId={roundId} unitId={unitId} taskId={item.task.id} />}
      {autosave.restored && editable && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="已恢复您上次未保存到服务器的内容，正在保存。" />}
      <Row gutter={[16, 12]}>
        <Col xs={24} lg={10}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Typography.Text type="secondary" id={`${id}-prev`}>
              上轮推进情况
            </Typography.Text>
            {editable && item.previousText?.trim() && (
              <CopyPreviousButton
                hasText={values.text.trim() !== ''}
                same={values.text === item.previousText}
                onCopy={() => autosave.copyPrevious(item.previousText!)}
              />
            )}
          </Flex>
          {/* Scrolls when long: focusable, so keyboard users can scroll it too (WCAG 2.1.1). */}
          <div
            role="region"
            tabIndex={0}
            aria-labelledby={`${id}-prev`}
            style={{ background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, marginTop: 4, maxHeight: 260, overflow: 'auto' }}
          >
            <ClampText text={item.previousText ?? ''} lines={8} threshold={400} empty="（上轮无内容）" />
          </div>
        </Col>
        <Col xs={24} lg={14}>
          {editable ? (
            <Form layout="vertical" component="div">
              <Form.Item
                label="本轮推进情况"
                htmlFor={`${id}-text`}
                style={{ marginBottom: 12 }}
                validateStatus={overLimit ? 'error' : undefined}
                help={overLimit ? `超过 ${AnswerLimits.text.max} 字，无法保存，请精简（内容已保留在本机）` : undefined}
              >
                <Input.TextArea
                  id={`${id}-text`}
                  value={values.text}
                  onChange={(e) => change({ text: e.target.value })}
                  autoSize={{ minRows: 4, maxRows: 16 }}
                  count={{ show: true, max: AnswerLimits.text.max }}
                  placeholder="请填写本季度该项任务的推进情况，可参考左侧上轮内容"
                  onBlur={() => void autosave.flush()}
                />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} sm={10}>
                  <Form.Item label="推进状态" htmlFor={`${id}-status`} style={{ marginBottom: 12 }}>
                    <NativeSelect<ProgressStatus>
                      id={`${id}-status`}
                      placeholder="请选择"
                      value={values.status}
                      onChange={(status) => change({ status })}
                      options={PROGRESS_STATUSES.map((s) => ({ value: s, label: PROGRESS_STATUS_LABELS[s] }))}
                    />
                  </Form.Item>
                </Col>
                {needsReason && (
                  <Col xs={24} sm={14}>
                    <Form.Item
                      label={`${PROGRESS_STATUS_LABELS[values.status!]}原因`}
                      htmlFor={`${id}-reason`}
                      required
                      style={{ marginBottom: 12 }}
                      validateStatus={reasonTooLong ? 'error' : reasonMissing ? 'warning' : undefined}
                      help={
                        reasonTooLong
                          ? `原因不能超过 ${AnswerLimits.reason.max} 字`
                          : reasonMissing
                            ? `状态为“${PROGRESS_STATUS_LABELS[values.status!]}”时必须填写原因`
                            : undefined
                      }
                    >
                      <Input.TextArea
                        id={`${id}-reason`}
                        value={values.reason ?? ''}
                        onChange={(e) => change({ reason: e.target.value })}
                        autoSize={{ minRows: 1, maxRows: 6 }}
                        count={{ show: true, max: AnswerLimits.reason.max }}
                        onBlur={() => void autosave.flush()}
                      />
                    </Form.Item>
                  </Col>
                )}
              </Row>
            </Form>
          ) : (
            <div>
              <Typography.Text type="secondary">本轮推进情况</Typography.Text>
              <Space style={{ marginLeft: 8 }}>
                <ProgressStatusTag status={values.status} />
              </Space>
              <div className="prose" style={{ marginTop: 4 }}>
                {values.text || <Typography.Text type="secondary">（未填写）</Typography.Text>}
              </div>
              {values.reason && (
                <div style={{ marginTop: 4 }}>
                  <Typography.Text type="secondary">原因：</Typography.Text>
                  {values.reason}
                </div>
              )}
            </div>
          )}
        </Col>
      </Row>
      {!answeredByOffice && <AnswerAttachments roundId={roundId} unitId={unitId} taskId={item.task.id} attachments={item.attachments} editable={editable} />}
      {item.task.role === 'lead' && item.coUnitAnswers.length > 0 && (
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'co',
              label: `配合单位本轮填报（${item.coUnitAnswers.length}）`,
              children: item.coUnitAnswers.map((co) => (
                <div key={co.unitName} style={{ marginBottom: 8 }}>
                  <Space size={4} wrap>
                    <Typography.Text strong>{co.unitName}</Typography.Text>
                    <ProgressStatusTag status={co.status} />
                    <SubmissionStateTag state={co.state} />
                  </Space>
                  <ClampText text={co.text} empty="（尚未填写）" />
                </div>
              )),
            },
          ]}
        />
      )}
      {state.kind === 'conflict' && (
        <ConflictDialog
          taskTitle={title}
          details={state.details}
          mine={values}
          onKeepMine={autosave.keepMine}
          onTakeTheirs={autosave.takeTheirs}
          onSaveMerged={autosave.saveMerged}
        />
      )}
    </Card>
  );
}

/** 沿用上轮: fills the box with last round's text; over text already typed, only after a confirmation. */
function CopyPreviousButton({ hasText, same, onCopy }: { hasText: boolean; same: boolean; onCopy: () => void }) {
  const button = (
    <Button
      size="small"
      icon={<RollbackOutlined />}
      onClick={hasText ? undefined : onCopy}
      disabled={same}
      title="以上轮推进情况为底稿填写本轮，保存后标注“沿用上轮”"
    >
      沿用上轮
    </Button>
  );
  if (!hasText) return button;
  return (
    <Popconfirm title="用上轮推进情况替换本轮已填写的文字？" okText="替换" cancelText="取消" onConfirm={onCopy}>
      {button}
    </Popconfirm>
  );
}
