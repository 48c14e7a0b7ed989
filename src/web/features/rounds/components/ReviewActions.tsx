import { App, Button, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import type { SubmissionState } from '../../../../domain/api/round-view.ts';
import { RoundLimits } from '../../../../domain/limits.ts';
import { describeError } from '../../../lib/api.ts';
import { stashText, unstashText } from '../../../lib/drafts.ts';
import { useReviewAction, type ReviewAction } from '../api/rounds.ts';
import { useWords } from '../../../lib/organisation.ts';

/** What the office may do with a unit's answers in each state. */
export function reviewChoices(state: SubmissionState, requiresApproval: boolean, roundOpen: boolean) {
  const reviewable = state === 'submitted' ? !requiresApproval : state === 'approved';
  return {
    accept: roundOpen && reviewable,
    return: roundOpen && (state === 'submitted' || state === 'approved'),
    reopen: roundOpen && state === 'accepted',
    /** A unit waiting for its head: the office may approve in the head's place (audited as such). */
    approveForHead: roundOpen && requiresApproval && state === 'submitted',
  };
}

/** 采纳 / 退回 (with a comment) / 重新打开 / 代处室负责人审核 for one whole unit, each after a one-line confirmation. */
export function ReviewActions({
  roundId,
  unitId,
  unitName,
  state,
  requiresApproval,
  roundOpen,
  size = 'small',
}: {
  roundId: number;
  unitId: number;
  unitName: string;
  state: SubmissionState;
  requiresApproval: boolean;
  roundOpen: boolean;
  size?: 'small' | 'middle';
}) {
  const { message, modal } = App.useApp();
  const action = useReviewAction(roundId);
  const words = useWords();
  const stashKey = `return:${roundId}:${unitId}`;
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState(() => unstashText(stashKey));
  const choices = reviewChoices(state, requiresApproval, roundOpen);

  const run = (kind: ReviewAction, done: string, text?: string) =>
    action
      .mutateAsync({ unitId, action: kind, ...(text ? { comment: text } : {}) })
      .then((submission) => {
        message.success(kind === 'accept' && submission.state === 'returned' ? `已采纳其余各项，逐项退回的内容已交回${unitName}修改` : done);
        if (kind === 'return') {
          setReturning(false);
          setComment('');
          stashText(stashKey, '');
        }
      })
      .catch((error: unknown) => {
        message.error(describeError(error));
      });

  const confirm = (title: string, summary: string, okText: string, onOk: () => Promise<void>) =>
    modal.confirm({ title, content: summary, autoFocusButton: 'cancel', okText, cancelText: '取消', onOk });

  return (
    <>
      <Space size={4} wrap>
        {choices.approveForHead && (
          <Button
            size={size}
            aria-label={`代${words.unit}负责人审核（${unitName}）`}
            onClick={() =>
              confirm(
                `代${words.unit}负责人审核${unitName}的填报？`,
                `将代${unitName}的${words.unit}负责人审核通过全部待审项，交办公室采纳；此操作记入审计日志。`,
                '代为审核',
                () => run('approve-for-head', `已代${words.unit}负责人审核${unitName}的填报`),
              )
            }
          >
            代{words.unit}负责人审核
          </Button>
        )}
        {choices.accept && (
          <Button
            size={size}
            type="primary"
            aria-label={`采纳全部（${unitName}）`}
            loading={action.isPending && action.variables?.action === 'accept'}
            onClick={() =>
              confirm(`采纳${unitName}的填报？`, `将采纳${unitName}全部待审阅的填报并通知该单位。`, '采纳', () => run('accept', `已采纳${unitName}的填报`))
            }
          >
            采纳全部
          </Button>
        )}
        {choices.return && (
          <Button size={size} danger aria-label={`退回全部（${unitName}）`} onClick={() => setReturning(true)}>
            退回全部
          </Button>
        )}
        {choices.reopen && (
          <Button
            size={size}
            aria-label={`重新打开（${unitName}）`}
            onClick={() =>
              confirm(`重新打开${unitName}的填报？`, `将重新打开${unitName}已采纳的填报，该单位可修改后重新提交。`, '重新打开', () =>
                run('reopen', `已重新打开${unitName}的填报`),
              )
            }
          >
            重新打开
          </Button>
        )}
      </Space>
      <Modal
        open={returning}
        title={`退回${unitName}的填报`}
        okText="退回"
        okButtonProps={{ danger: true, disabled: !comment.trim() || comment.length > RoundLimits.returnComment.max, loading: action.isPending }}
        cancelText="取消"
        onOk={() => void run('return', `已退回${unitName}的填报`, comment.trim())}
        onCancel={() => setReturning(false)}
      >
        <Typography.Paragraph>将退回{unitName}全部未采纳的填报并通知该单位。</Typography.Paragraph>
        <label htmlFor={`return-${unitId}`}>退回意见（必填，将通知该单位）</label>
        <Input.TextArea
          id={`return-${unitId}`}
          aria-label="退回意见"
          value={comment}
          onChange={(e) => {
            setComment(e.target.value);
            stashText(stashKey, e.target.value);
          }}
          autoSize={{ minRows: 4, maxRows: 10 }}
          count={{ show: true, max: RoundLimits.returnComment.max }}
          placeholder="请写明需要修改的任务和原因"
          style={{ marginTop: 6 }}
        />
      </Modal>
    </>
  );
}
