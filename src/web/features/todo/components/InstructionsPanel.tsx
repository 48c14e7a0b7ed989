import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Input, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import type { InstructionWithFeedbackView } from '../../../../domain/api/instruction-view.ts';
import { InstructionLimits } from '../../../../domain/limits.ts';
import { describeError } from '../../../lib/api.ts';
import { api } from '../../../lib/api.ts';
import { stashText, unstashText } from '../../../lib/drafts.ts';
import { can, useCurrentUser } from '../../../lib/session.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useWords } from '../../../lib/organisation.ts';

const instructionsKey = (roundId: number, unitId: number) => ['rounds', roundId, 'units', unitId, 'instructions'] as const;

/** One request per to-do list: every task's panel reads the same answer. */
function useUnitInstructions(roundId: number, unitId: number) {
  return useQuery({
    queryKey: instructionsKey(roundId, unitId),
    queryFn: () => api.GET('/api/rounds/{roundId}/units/{unitId}/instructions', { params: { path: { roundId, unitId } } }),
    refetchInterval: 120_000,
  });
}

function FeedbackForm({ roundId, unitId, instruction }: { roundId: number; unitId: number; instruction: InstructionWithFeedbackView }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const stashKey = `instruction-feedback:${instruction.id}`;
  const [text, setText] = useState(() => unstashText(stashKey));
  const send = useMutation({
    mutationFn: (value: string) =>
      api.POST('/api/instructions/{instructionId}/feedback', { params: { path: { instructionId: instruction.id } }, body: { text: value } }),
    onSuccess: () => {
      setText('');
      stashText(stashKey, '');
      message.success('落实反馈已报送批示领导');
      void client.invalidateQueries({ queryKey: instructionsKey(roundId, unitId) });
    },
  });
  const value = text.trim();
  const id = `feedback-${instruction.id}`;
  return (
    <div style={{ marginTop: 8 }}>
      {send.error && (
        <Alert type="error" showIcon title={describeError(send.error)} style={{ marginBottom: 8 }} description="反馈内容已保留，可修改后重新提交。" />
      )}
      <label htmlFor={id} style={{ display: 'block', marginBottom: 4 }}>
        落实反馈
      </label>
      <Input.TextArea
        id={id}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          stashText(stashKey, event.target.value);
        }}
        autoSize={{ minRows: 2, maxRows: 8 }}
        count={{ show: true, max: InstructionLimits.feedback.max }}
        placeholder="本单位对该批示的落实情况"
      />
      {/* antd draws the character count below the box, outside its height: leave it room. */}
      <Flex justify="end" style={{ marginTop: 28 }}>
        <Popconfirm
          title={`向${instruction.author}报送本单位的落实反馈？`}
          okText="报送"
          cancelText="取消"
          disabled={!value || value.length > InstructionLimits.feedback.max}
          onConfirm={() => send.mutateAsync(value).catch(() => undefined)}
        >
          <Button type="primary" size="small" loading={send.isPending} disabled={!value || value.length > InstructionLimits.feedback.max}>
            报送落实反馈
          </Button>
        </Popconfirm>
      </Flex>
    </div>
  );
}

/**
 * Leaders' 批示 on one task of the unit's to-do, beside the task, with every unit's 落实反馈 so
 * far; the unit's reporters and head write theirs here. Renders nothing when the task has none.
 */
export function InstructionsPanel({ roundId, unitId, taskId }: { roundId: number; unitId: number; taskId: number }) {
  const user = useCurrentUser();
  const query = useUnitInstructions(roundId, unitId);
  const words = useWords();
  const instructions = (query.data ?? []).filter((instruction) => instruction.taskId === taskId);
  if (instructions.length === 0) return null;
  return (
    <section aria-label={`${words.leader}批示`} style={{ background: '#f9f0ff', border: '1px solid #d3adf7', borderRadius: 6, padding: 10, marginBottom: 12 }}>
      {instructions.map((instruction) => (
        <div key={instruction.id} style={{ marginBottom: 8 }}>
          <Flex gap={8} wrap align="baseline">
            <Typography.Text strong>{instruction.author}批示</Typography.Text>
            <Typography.Text style={{ fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>{formatDateTime(instruction.createdAt)}</Typography.Text>
          </Flex>
          <div className="prose">{instruction.text}</div>
          {instruction.feedback.map((feedback) => (
            <div key={feedback.id} style={{ borderLeft: '3px solid #b37feb', paddingLeft: 8, marginTop: 6 }}>
              <Typography.Text style={{ fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>
                {feedback.unitName} {feedback.author} 落实反馈 · {formatDateTime(feedback.createdAt)}
              </Typography.Text>
              <div className="prose">{feedback.text}</div>
            </div>
          ))}
          {can.reportForUnit(user.role) && user.unit?.id === unitId && <FeedbackForm roundId={roundId} unitId={unitId} instruction={instruction} />}
        </div>
      ))}
    </section>
  );
}
