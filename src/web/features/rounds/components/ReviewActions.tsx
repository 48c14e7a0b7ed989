import { App, Button, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import type { SubmissionState } from '../../../../domain/api/round-view.ts';
import { RoundLimits } from '../../../../domain/limits.ts';
import { describeError } from '../../../lib/api.ts';
import { stashText, unstashText } from '../../../lib/drafts.ts';
import { useReviewAction } from '../api/rounds.ts';

/** What the office may do with a unit's answers in each state. */
export function reviewChoices(state: SubmissionState, requiresApproval: boolean, roundOpen: boolean) {
  const reviewable = state === 'submitted' ? !requiresApproval : state === 'approved';
  return {
    accept: roundOpen && reviewable,
    return: roundOpen && (state === 'submitted' || state === 'approved'),
    reopen: roundOpen && state === 'accepted',
  };
}

/** 通过 / 退回 (with a comment) / 重新打开 for one unit. */
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
  const stashKey = `return:${roundId}:${unitId}`;
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState(() => unstashText(stashKey));
  const choices = reviewChoices(state, requiresApproval, roundOpen);

  const run = (kind: 'accept' | 'return' | 'reopen', done: string, text?: string) =>
    action.mutate(
      { unitId, action: kind, ...(text ? { comment: text } : {}) },
      {
        onSuccess: () => {
          message.success(done);
          if (kind === 'return') {
            setReturning(false);
            setComment('');
            stashText(stashKey, '');
          }
        },
        onError: (error) => message.error(describeError(error)),
      },
    );

  return (
    <>
      <Space size={4} wrap>
        {choices.accept && (
          <Button size={size} type="primary" aria-label={`通过 ${unitName}`} loading={action.isPending && action.variables?.action === 'accept'} onClick={() => run('accept', `已通过${unitName}的填报`)}>
            通过
          </Button>
        )}
        {choices.return && (
          <Button size={size} danger aria-label={`退回 ${unitName}`} onClick={() => setReturning(true)}>
            退回
          </Button>
        )}
        {choices.reopen && (
          <Button
            size={size}
            aria-label={`重新打开 ${unitName}`}
            onClick={() =>
              modal.confirm({
                title: `重新打开${unitName}的填报？`,
                content: '重新打开后，该单位可以修改已通过的内容并重新提交。',
                okText: '重新打开',
                cancelText: '取消',
                onOk: () => run('reopen', `已重新打开${unitName}的填报`),
              })
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
        onOk={() => run('return', `已退回${unitName}的填报`, comment.trim())}
        onCancel={() => setReturning(false)}
      >
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
