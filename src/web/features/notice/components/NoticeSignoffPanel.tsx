import { FileWordOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Input, InputNumber, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { SIGNOFF_STATE_LABELS, type NoticeSignoffView, type SignoffAction, type SignoffStep } from '../../../../domain/api/notice-signoff-view.ts';
import { SignoffLimits } from '../../../../domain/limits.ts';
import { NativeSelect } from '../../../components/NativeSelect.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { exportRoundFile } from '../api/exports.ts';
import { useSignoff, useSignoffStep, type SignoffBody, type SignoffRequest } from '../api/signoff.ts';
import { useWords } from '../../../lib/organisation.ts';

const STATE_COLOURS: Record<NoticeSignoffView['state'], string> = {
  drafting: 'default',
  reviewing: 'processing',
  signing: 'gold',
  signed: 'green',
  issued: 'green',
};

/** `王芳 2017年10月11日 09:00`, or `王芳（待办）` while the step waits for them. */
function stepLine(step: SignoffStep | null, waiting: boolean): string {
  if (!step) return '';
  if (!step.at) return waiting ? `${step.name}（待办）` : step.name;
  return `${step.name} ${formatDateTime(step.at)}`;
}

/**
 * 拟稿 → 核稿 → 签发 of the round's notice (decision 025): where it is, who did each step and
 * when, the history with every return's comment, and the steps the signed-in person may take.
 * Each step asks for confirmation with a one-line summary; no field submits on Enter (there is no
 * form: only the buttons act).
 */
export function NoticeSignoffPanel({ roundId }: { roundId: number }) {
  const query = useSignoff(roundId);
  if (query.isPending) return null;
  if (query.error) return <Alert type="error" showIcon style={{ marginBottom: 12 }} title={`无法读取签发状态：${describeError(query.error)}`} />;
  return <SignoffCard roundId={roundId} view={query.data} />;
}

function SignoffCard({ roundId, view }: { roundId: number; view: NoticeSignoffView }) {
  const { modal, message } = App.useApp();
  const words = useWords();
  const step = useSignoffStep(roundId);
  const [reviewerId, setReviewerId] = useState<number | null>(view.reviewers[0]?.userId ?? null);
  const [signerId, setSignerId] = useState<number | null>(view.signers[0]?.userId ?? null);
  const [copies, setCopies] = useState<number | null>(view.copies);
  const [opinion, setOpinion] = useState('');
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<'cover-docx' | 'cover-pdf' | null>(null);
  const can = (action: SignoffAction) => view.actions.includes(action);
  const nameOf = (list: { userId: number; name: string }[], id: number | null) => list.find((person) => person.userId === id)?.name ?? '';

  const run = <A extends SignoffAction>(action: A, title: string, summary: string, body: Omit<SignoffBody<A>, 'version'>, done: string) => {
    modal.confirm({
      title,
      content: summary,
      okText: title,
      cancelText: '取消',
      // The focus starts on 取消: an Enter pressed on the way does not confirm.
      autoFocusButton: 'cancel',
      onOk: () =>
        step
          .mutateAsync({ action, body: { version: view.version, ...body } } as SignoffRequest)
          .then(() => {
            setOpinion('');
            setComment('');
            void message.success(done);
          })
          .catch((error: unknown) => void message.error(`${title}失败：${describeError(error)}`)),
    });
  };

  const needComment = (what: string): string | null => {
    const text = comment.trim();
    if (text === '') {
      setCommentError(`请填写${what}`);
      return null;
    }
    setCommentError(null);
    return text;
  };

  const downloadCover = async (format: 'cover-docx' | 'cover-pdf') => {
    setExporting(format);
    try {
      await exportRoundFile(roundId, format);
    } catch (error) {
      void message.error(describeError(error));
    } finally {
      setExporting(null);
    }
  };

  const current = view.state === 'drafting' ? 0 : view.state === 'reviewing' ? 1 : view.state === 'signing' ? 2 : 3;
  const drafterName = view.drafter?.name ?? '拟稿人';
  const commentBox = (label: string) => (
    <div>
      <Input.TextArea
        aria-label={label}
        placeholder={`${label}（必填，将退回${drafterName}）`}
        value={comment}
        maxLength={SignoffLimits.comment.max}
        autoSize={{ minRows: 2, maxRows: 4 }}
        status={commentError ? 'error' : undefined}
        onChange={(event) => setComment(event.target.value)}
      />
      {commentError && (
        <Typography.Text type="danger" role="alert">
          {commentError}
        </Typography.Text>
      )}
    </div>
  );

  return (
    <Card
      title={
        <Space>
          <span>核稿与签发</span>
          <Tag color={view.stale ? 'orange' : STATE_COLOURS[view.state]}>{view.stale ? '签发已失效' : SIGNOFF_STATE_LABELS[view.state]}</Tag>
        </Space>
      }
      aria-label="核稿与签发"
      style={{ marginBottom: 12 }}
      extra={
        <Space wrap>
          <Button
            icon={<FileWordOutlined />}
            loading={exporting === 'cover-docx'}
            disabled={exporting !== null}
            onClick={() => void downloadCover('cover-docx')}
          >
            发文稿纸（Word）
          </Button>
          <Button icon={<FilePdfOutlined />} loading={exporting === 'cover-pdf'} disabled={exporting !== null} onClick={() => void downloadCover('cover-pdf')}>
            发文稿纸（PDF）
          </Button>
        </Space>
      }
    >
      {view.state === 'issued' ? (
        <Alert type="success" showIcon title="本轮通报随导入的文件印发，视为已由该文件签发；导出不带“征求意见稿”字样，无需再核稿、签发。" />
      ) : (
        <Flex vertical gap={12}>
          <Steps
            size="small"
            current={current}
            items={[
              { title: '拟稿', content: stepLine(view.drafter, false) || '办公室' },
              { title: '核稿', content: stepLine(view.reviewer, view.state === 'reviewing') || '另一位办公室人员' },
              { title: '签发', content: stepLine(view.signer, view.state === 'signing') || words.leader },
            ]}
          />
          {view.stale && (
            <Alert type="warning" showIcon title="签发后通报或调度表已有变化，原签发不再覆盖现在的内容：导出仍标“征求意见稿”。请撤回签发，重新送核稿、签发。" />
          )}
          {view.state === 'signed' && !view.stale && (
            <Alert type="success" showIcon title={`已由${view.signer?.name ?? '领导'}签发，通报文字已冻结；如需修改，请先撤回签发。`} />
          )}
          {(view.state === 'reviewing' || view.state === 'signing') && (
            <Alert type="info" showIcon title="通报在核稿、签发期间不能修改；如需修改，请由经办人退回。" />
          )}
          {view.lastReturn && (
            <Alert
              type="warning"
              showIcon
              title={`${view.lastReturn.by}于${formatDateTime(view.lastReturn.at)}${view.history.at(-1)?.action === 'reopen' ? '撤回签发' : '退回'}：${view.lastReturn.comment}`}
              description="修改通报后可再次送核稿。"
            />
          )}
          {!view.isSigned && view.state !== 'signed' && <Typography.Text type="secondary">未签发的通报导出时标“征求意见稿”。</Typography.Text>}

          {can('submit') && (
            <Flex gap={8} wrap align="center">
              <NativeSelect
                aria-label="核稿人"
                style={{ minWidth: 160 }}
                placeholder={view.reviewers.length === 0 ? '没有其他办公室账号可以核稿' : '选择核稿人'}
                value={reviewerId === null ? null : String(reviewerId)}
                options={view.reviewers.map((person) => ({ value: String(person.userId), label: person.name }))}
                onChange={(value) => setReviewerId(value === null ? null : Number(value))}
              />
              <InputNumber<number>
                aria-label="印数"
                suffix="份"
                min={SignoffLimits.copies.min}
                max={SignoffLimits.copies.max}
                precision={0}
                placeholder="印数"
                value={copies}
                onChange={(value) => setCopies(value)}
              />
              <Button
                type="primary"
                disabled={reviewerId === null}
                onClick={() =>
                  reviewerId !== null &&
                  run(
                    'submit',
                    '送核稿',
                    `将通报送${nameOf(view.reviewers, reviewerId)}核稿${copies ? `（印数 ${copies} 份）` : ''}；核稿、签发期间通报不能修改。`,
                    { reviewerUserId: reviewerId, copies },
                    '已送核稿',
                  )
                }
              >
                送核稿
              </Button>
            </Flex>
          )}

          {can('review') && (
            <Flex gap={8} wrap align="center">
              <NativeSelect
                aria-label="签发人"
                style={{ minWidth: 160 }}
                placeholder="选择签发领导"
                value={signerId === null ? null : String(signerId)}
                options={view.signers.map((person) => ({ value: String(person.userId), label: person.name }))}
                onChange={(value) => setSignerId(value === null ? null : Number(value))}
              />
              <Input
                aria-label="核稿意见"
                placeholder="核稿意见（可不填）"
                style={{ maxWidth: 280 }}
                maxLength={SignoffLimits.opinion.max}
                value={opinion}
                onChange={(event) => setOpinion(event.target.value)}
              />
              <Button
                type="primary"
                disabled={signerId === null}
                onClick={() =>
                  signerId !== null &&
                  run(
                    'review',
                    '核稿通过',
                    `核稿通过，送${nameOf(view.signers, signerId)}签发。`,
                    { signerUserId: signerId, opinion: opinion.trim() || null },
                    '已送签发',
                  )
                }
              >
                核稿通过，送签发
              </Button>
            </Flex>
          )}

          {can('sign') && (
            <Flex gap={8} wrap align="center">
              <Input
                aria-label="签发意见"
                placeholder="签发意见（不填即“同意”）"
                style={{ maxWidth: 320 }}
                maxLength={SignoffLimits.opinion.max}
                value={opinion}
                onChange={(event) => setOpinion(event.target.value)}
              />
              <Button
                type="primary"
                onClick={() =>
                  run('sign', '签发', `签发本通报（意见：${opinion.trim() || '同意'}）；签发后通报文字冻结。`, { opinion: opinion.trim() || null }, '已签发')
                }
              >
                签发
              </Button>
            </Flex>
          )}

          {can('return') && (
            <Flex vertical gap={8}>
              {commentBox('退回意见')}
              <div>
                <Button
                  danger
                  onClick={() => {
                    const text = needComment('退回意见');
                    if (text) run('return', '退回', `将通报退回${drafterName}重新拟稿：${text}`, { comment: text }, '已退回拟稿人');
                  }}
                >
                  退回拟稿
                </Button>
              </div>
            </Flex>
          )}

          {can('reopen') && (
            <Flex vertical gap={8}>
              {commentBox('撤回原因')}
              <div>
                <Button
                  danger
                  onClick={() => {
                    const text = needComment('撤回原因');
                    if (text)
                      run(
                        'reopen',
                        '撤回签发',
                        `撤回${view.signer?.name ?? '领导'}的签发，通报回到拟稿：${text}`,
                        { comment: text },
                        '已撤回签发，可修改通报后重新送核稿',
                      );
                  }}
                >
                  撤回签发
                </Button>
              </div>
            </Flex>
          )}

          {view.history.length > 0 && (
            <div>
              <Typography.Text strong>经过</Typography.Text>
              <Timeline
                style={{ marginTop: 8 }}
                items={view.history.map((event, index) => ({
                  key: index,
                  color: event.action === 'return' || event.action === 'reopen' ? 'red' : event.action === 'sign' ? 'green' : 'blue',
                  content: (
                    <span>
                      {formatDateTime(event.at)} {event.actor} {event.actionLabel}
                      {event.comment ? `：${event.comment}` : ''}
                    </span>
                  ),
                }))}
              />
            </div>
          )}
        </Flex>
      )}
    </Card>
  );
}
