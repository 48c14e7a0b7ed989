import { Alert, App, Breadcrumb, Button, Card, Checkbox, Col, Descriptions, Empty, Input, Modal, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AnswerReviewState, SubmissionView, TodoView } from '../../../../domain/api/round-view.ts';
import { RoundLimits } from '../../../../domain/limits.ts';
import { AttachmentList } from '../../../components/AttachmentList.tsx';
import { ClampText } from '../../../components/ClampText.tsx';
import { FindingBadges } from '../../../components/FindingBadges.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import {
  AnswerReviewTag,
  CopiedFromPreviousTag,
  LateTag,
  ProgressStatusTag,
  SubmissionHolderTag,
  SubmissionStateTag,
  UnitRoleTag,
} from '../../../components/StatusTags.tsx';
import { describeError } from '../../../lib/api.ts';
import { chapterLabel, formatDateTime, sectionLabel } from '../../../lib/format.ts';
import { useRoundInsights } from '../../../lib/queries.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useAnswerReview, useUnitAnswers } from '../api/rounds.ts';
import { ReviewActions } from './ReviewActions.tsx';
import { useWords } from '../../../lib/organisation.ts';

type Item = TodoView['items'][number];
type Level = 'head' | 'office';

/** The answers the reviewer at `level` still has to decide: the head's are unreviewed, the office's also head-approved. */
function isOpenFor(level: Level, state: AnswerReviewState | null): boolean {
  return state === null || (level === 'office' && state === 'approved');
}

/** Whether the reviewer at `level` holds the unit now (may accept or return single answers). */
function holdsNow(level: Level | null, submission: SubmissionView, requiresApproval: boolean, roundOpen: boolean): boolean {
  if (!roundOpen || level === null) return false;
  if (level === 'head') return requiresApproval && submission.state === 'submitted';
  return submission.state === 'approved' || (submission.state === 'submitted' && !requiresApproval);
}

/** 第1、3、4项 */
const itemsLabel = (numbers: number[]) => `第${numbers.join('、')}项`;

/**
 * One unit's answers in a round, reviewed answer by answer: the office (or, in a round that asks
 * for approval, the unit's head before it) accepts single answers or several at once, and returns
 * single answers with a comment; the whole-unit actions stay above.
 */
export function UnitReviewPage() {
  const params = useParams();
  const roundId = Number(params.roundId);
  const unitId = Number(params.unitId);
  const query = useUnitAnswers(roundId, unitId);
  const user = useCurrentUser();
  const words = useWords();
  const review = useAnswerReview(roundId, unitId);
  const { message, modal } = App.useApp();
  const [selected, setSelected] = useState<number[]>([]);
  const [returning, setReturning] = useState<{ taskId: number; number: number } | null>(null);
  const [comment, setComment] = useState('');
  const level: Level | null = user.role === 'office' ? 'office' : user.role === 'unit_head' && user.unit?.id === unitId ? 'head' : null;
  // The round's insight findings (issue 15), read once for the page: badges beside each answer (the office's view).
  const insights = useRoundInsights(roundId, user.role === 'office');

  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const todo = query.data!;
        const { submission, round } = todo;
        const unitName = todo.unit.name;
        const canReview = holdsNow(level, submission, round.requiresApproval, round.status === 'open');
        const numbered = todo.items.map((item, index) => ({ item, number: index + 1 }));
        const open = canReview && level ? numbered.filter(({ item }) => isOpenFor(level, item.review.state)) : [];
        const chosen = open.filter(({ item }) => selected.includes(item.task.id));
        const acceptWord = level === 'head' ? '审核通过' : '采纳';
        const anyReturned = todo.items.some((item) => item.review.state === 'returned');

        /** What the unit will see once these are decided: the one-line summary of each confirmation. */
        const afterwards = (deciding: number, returning: boolean) => {
          const left = open.length - deciding;
          if (left > 0) return `其余 ${left} 项待审阅，全部审阅后${returning || anyReturned ? `退回的项一并交回${unitName}修改` : '完成本单位审阅'}。`;
          if (returning || anyReturned) return `并通知${unitName}修改被退回的项。`;
          return level === 'head' ? '全部审核通过后报送办公室。' : `并通知${unitName}本单位填报已全部采纳。`;
        };

        const decide = (taskIds: number[], decision: 'accept' | 'return', text: string | null) =>
          review
            .mutateAsync({ decision, taskIds, comment: text })
            .then((after) => {
              setSelected((current) => current.filter((id) => !taskIds.includes(id)));
              if (decision === 'return') {
                setReturning(null);
                setComment('');
              }
              const state =
                after.state === 'returned'
                  ? `已交回${unitName}修改`
                  : after.state === 'accepted'
                    ? `${unitName}的填报已全部采纳`
                    : after.state === 'approved' && level === 'head'
                      ? '已全部审核，报送办公室'
                      : '其余各项审阅完毕后一并办理';
              message.success(
                `${decision === 'return' ? '已退回' : `已${acceptWord}`}${itemsLabel(numbered.filter((n) => taskIds.includes(n.item.task.id)).map((n) => n.number))}：${state}`,
              );
            })
            .catch((error: unknown) => {
              message.error(describeError(error));
            });

        const acceptItems = (picked: { item: Item; number: number }[]) =>
          modal.confirm({
            autoFocusButton: 'cancel',
            title: `${acceptWord}${itemsLabel(picked.map((p) => p.number))}？`,
            content: `将${acceptWord}${itemsLabel(picked.map((p) => p.number))}，${afterwards(picked.length, false)}`,
            okText: acceptWord,
            cancelText: '取消',
            onOk: () =>
              decide(
                picked.map((p) => p.item.task.id),
                'accept',
                null,
              ),
          });

        return (
          <>
            <Breadcrumb
              style={{ marginBottom: 12 }}
              items={[{ title: <Link to="/rounds">调度轮次</Link> }, { title: <Link to={`/rounds/${roundId}`}>{round.label}</Link> }, { title: unitName }]}
            />
            <PageTitle
              title={`${unitName}的填报`}
              subtitle={round.label}
              extra={
                level === 'office' ? (
                  <ReviewActions
                    roundId={roundId}
                    unitId={unitId}
                    unitName={unitName}
                    state={submission.state}
                    requiresApproval={round.requiresApproval}
                    roundOpen={round.status === 'open'}
                    size="middle"
                  />
                ) : null
              }
            />
            <Card size="small" style={{ marginBottom: 16 }}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 3 }}
                items={[
                  { key: 'state', label: '状态', children: <SubmissionStateTag state={submission.state} submission={submission} /> },
                  { key: 'holder', label: '当前在', children: <SubmissionHolderTag submission={submission} /> },
                  {
                    key: 'submitted',
                    label: '提交时间',
                    children: (
                      <Space size={4} wrap>
                        {formatDateTime(submission.submittedAt)}
                        <LateTag submission={submission} />
                      </Space>
                    ),
                  },
                  { key: 'approved', label: `${words.unit}审核时间`, children: formatDateTime(submission.approvedAt) },
                  { key: 'reviewed', label: '办公室审阅时间', children: formatDateTime(submission.reviewedAt) },
                ]}
              />
              {submission.note && <Alert type="info" showIcon style={{ marginTop: 8 }} title={submission.note} />}
              {submission.returnComment && (
                <Alert
                  type="warning"
                  style={{ marginTop: 8 }}
                  title="上次整体退回意见"
                  description={<span className="prose">{submission.returnComment}</span>}
                />
              )}
              {level === 'office' && round.requiresApproval && submission.state === 'submitted' && (
                <Alert
                  type="info"
                  style={{ marginTop: 8 }}
                  title={`该单位的填报正等待${words.unit}负责人审核；如需代为审核，请点“代${words.unit}负责人审核”。`}
                />
              )}
            </Card>
            {open.length > 0 && (
              <Card size="small" style={{ marginBottom: 12, position: 'sticky', top: 0, zIndex: 5 }}>
                <Space wrap>
                  <Checkbox
                    checked={chosen.length === open.length}
                    indeterminate={chosen.length > 0 && chosen.length < open.length}
                    onChange={(e) => setSelected(e.target.checked ? open.map((o) => o.item.task.id) : [])}
                  >
                    全选待审阅（{open.length} 项）
                  </Checkbox>
                  <Button type="primary" disabled={chosen.length === 0} loading={review.isPending} onClick={() => acceptItems(chosen)}>
                    {acceptWord}所选（{chosen.length} 项）
                  </Button>
                  <Typography.Text type="secondary">逐项退回请点该项的“退回”并写明意见。</Typography.Text>
                </Space>
              </Card>
            )}
            {todo.items.length === 0 && <Empty description="该单位本轮没有任务" />}
            {numbered.map(({ item, number }) => {
              const itemOpen = open.some((o) => o.item.task.id === item.task.id);
              const state = item.review.state;
              return (
                <Card
                  key={item.task.id}
                  size="small"
                  style={{ marginBottom: 12, ...(state === 'returned' ? { borderColor: '#ff4d4f', borderWidth: 2 } : {}) }}
                  role="region"
                  aria-label={`第${number}项 ${chapterLabel(item.task.chapterNumber)}${sectionLabel(item.task.sectionNumber)}`}
                  title={
                    <Space wrap>
                      {itemOpen && (
                        <Checkbox
                          aria-label={`选择第${number}项`}
                          checked={selected.includes(item.task.id)}
                          onChange={(e) =>
                            setSelected((current) => (e.target.checked ? [...current, item.task.id] : current.filter((id) => id !== item.task.id)))
                          }
                        />
                      )}
                      <span>
                        第{number}项 {chapterLabel(item.task.chapterNumber)}
                        {sectionLabel(item.task.sectionNumber)}
                      </span>
                      <UnitRoleTag role={item.task.role} />
                      {state ? <AnswerReviewTag state={state} /> : submission.submittedAt && <Tag>待审阅</Tag>}
                      <Link to={`/tasks/${item.task.id}`}>任务详情</Link>
                    </Space>
                  }
                  extra={
                    itemOpen ? (
                      <Space size={4}>
                        <Button size="small" aria-label={`${acceptWord}第${number}项`} onClick={() => acceptItems([{ item, number }])}>
                          {acceptWord}
                        </Button>
                        <Button size="small" danger aria-label={`退回第${number}项`} onClick={() => setReturning({ taskId: item.task.id, number })}>
                          退回
                        </Button>
                      </Space>
                    ) : null
                  }
                >
                  <ClampText text={item.task.text} lines={2} threshold={100} />
                  {item.review.comment && (
                    <Alert
                      type={state === 'returned' ? 'error' : 'info'}
                      style={{ marginTop: 8 }}
                      title={`${state === 'returned' ? '退回意见' : '上次退回意见'}${item.review.reviewedBy && state === 'returned' ? `（${item.review.reviewedBy}${item.review.reviewedAt ? `，${formatDateTime(item.review.reviewedAt)}` : ''}）` : ''}`}
                      description={<span className="prose">{item.review.comment}</span>}
                    />
                  )}
                  <Row gutter={[16, 12]} style={{ marginTop: 12 }}>
                    <Col xs={24} lg={10}>
                      <Typography.Text type="secondary">上轮推进情况</Typography.Text>
                      <div style={{ background: '#fafafa', borderRadius: 6, padding: 8, marginTop: 4 }}>
                        <ClampText text={item.previousText ?? ''} lines={6} threshold={300} empty="（上轮无内容）" />
                      </div>
                    </Col>
                    <Col xs={24} lg={14}>
                      <Space wrap>
                        <Typography.Text type="secondary">本轮推进情况</Typography.Text>
                        <ProgressStatusTag status={item.answer.status} />
                        <CopiedFromPreviousTag answer={item.answer} />
                        <FindingBadges
                          findings={insights.data?.findings.filter((f) => f.taskId === item.task.id && f.unitId === unitId) ?? []}
                          insightsLink={`/rounds/${roundId}/insights?unit=${encodeURIComponent(unitName)}`}
                        />
                      </Space>
                      <div className="prose" style={{ marginTop: 4 }}>
                        {item.answer.text || <Typography.Text type="danger">（未填写）</Typography.Text>}
                      </div>
                      {item.answer.reason && (
                        <div style={{ marginTop: 4 }}>
                          <Typography.Text type="secondary">原因：</Typography.Text>
                          {item.answer.reason}
                        </div>
                      )}
                      {item.attachments.length > 0 && (
                        <div style={{ marginTop: 8 }}>
                          <Typography.Text type="secondary">佐证材料（{item.attachments.length}）</Typography.Text>
                          <AttachmentList attachments={item.attachments} />
                        </div>
                      )}
                    </Col>
                  </Row>
                </Card>
              );
            })}
            <Modal
              open={returning !== null}
              title={returning ? `退回第${returning.number}项` : ''}
              okText="退回"
              okButtonProps={{ danger: true, disabled: !comment.trim() || comment.length > RoundLimits.returnComment.max, loading: review.isPending }}
              cancelText="取消"
              onOk={() => returning && void decide([returning.taskId], 'return', comment.trim())}
              onCancel={() => setReturning(null)}
            >
              {returning && (
                <Typography.Paragraph>
                  将退回第{returning.number}项{afterwards(1, true).startsWith('并') ? afterwards(1, true) : `；${afterwards(1, true)}`}
                </Typography.Paragraph>
              )}
              <label htmlFor="answer-return-comment">退回意见（必填，该单位将看到）</label>
              <Input.TextArea
                id="answer-return-comment"
                aria-label="退回意见"
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                autoSize={{ minRows: 3, maxRows: 8 }}
                count={{ show: true, max: RoundLimits.returnComment.max }}
                placeholder="请写明该项需要怎样修改"
                style={{ marginTop: 6 }}
              />
            </Modal>
          </>
        );
      }}
    </QueryState>
  );
}
