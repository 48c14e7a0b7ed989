import { Alert, App, Breadcrumb, Button, Card, Descriptions, Empty, Flex, Form, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { TaskDetailView } from '../../../../domain/api/plan-view.ts';
import { InstructionLimits } from '../../../../domain/limits.ts';
import { ClampText } from '../../../components/ClampText.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { useTaskHistory } from '../api/plan-edit.ts';
import { QueryState } from '../../../components/QueryState.tsx';
import { AnswerStateTag, ProgressStatusTag, RoundStatusTag, UnitRoleTag } from '../../../components/StatusTags.tsx';
import { describeError } from '../../../lib/api.ts';
import { stashText, unstashText } from '../../../lib/drafts.ts';
import { chapterLabel, formatDateTime, sectionLabel } from '../../../lib/format.ts';
import { useWords } from '../../../lib/organisation.ts';
import { can, useCurrentUser } from '../../../lib/session.ts';
import { useAddInstruction, useTask, useTaskInstructions } from '../api/plans.ts';

type Answer = TaskDetailView['rounds'][number]['answers'][number];

/** Units as rows, rounds as columns: how a task's progress moved from quarter to quarter. */
function ProgressByRound({ detail }: { detail: TaskDetailView }) {
  const phone = !(Grid.useBreakpoint().md ?? true);
  const words = useWords();
  const rounds = detail.rounds;
  if (rounds.length === 0) return <Empty description="尚无调度轮次" />;
  const unitRows = detail.task.units.map((unit) => ({
    key: `u${unit.id}`,
    unitId: unit.id as number | null,
    name: unit.name,
    role: unit.role as 'lead' | 'co' | null,
  }));
  // Imported text without a unit, or by a unit no longer assigned, still shows.
  for (const round of rounds)
    for (const answer of round.answers)
      if (!unitRows.some((row) => row.unitId === answer.unitId && (answer.unitId !== null || row.name === (answer.unitName ?? '（未署名）'))))
        unitRows.push({ key: `a${answer.unitId ?? answer.unitName ?? 'x'}`, unitId: answer.unitId, name: answer.unitName ?? '（未署名）', role: null });

  const answerOf = (roundIndex: number, row: (typeof unitRows)[number]): Answer | undefined =>
    rounds[roundIndex]!.answers.find((a) => a.unitId === row.unitId && (row.unitId !== null || (a.unitName ?? '（未署名）') === row.name));

  const cell = (answer: Answer | undefined) => {
    if (!answer || (answer.state === 'empty' && !answer.text)) return <Typography.Text type="danger">未填报</Typography.Text>;
    return (
      <div>
        <Space size={4} wrap style={{ marginBottom: 4 }}>
          <ProgressStatusTag status={answer.status} />
          <AnswerStateTag state={answer.state} />
        </Space>
        <ClampText text={answer.text} lines={6} threshold={200} />
      </div>
    );
  };

  // A phone reads one round after another, newest first, instead of a wide table.
  if (phone)
    return (
      <div>
        {rounds
          .map((round, index) => ({ round, index }))
          .reverse()
          .map(({ round, index }) => (
            <section key={round.id} aria-label={round.label} style={{ marginBottom: 16 }}>
              <Typography.Title level={5} style={{ marginBottom: 8 }}>
                {round.label} <RoundStatusTag status={round.status} />
              </Typography.Title>
              {unitRows.map((row) => (
                <div key={row.key} style={{ borderLeft: '3px solid #d6e4ff', paddingLeft: 8, marginBottom: 8 }}>
                  <div style={{ marginBottom: 2 }}>
                    <Typography.Text strong>{row.name}</Typography.Text> {row.role && <UnitRoleTag role={row.role} />}
                  </div>
                  {cell(answerOf(index, row))}
                </div>
              ))}
            </section>
          ))}
      </div>
    );

  return (
    <Table
      size="small"
      bordered
      pagination={false}
      rowKey="key"
      dataSource={unitRows}
      scroll={{ x: 160 + rounds.length * 320 }}
      columns={[
        {
          title: words.unitsColumn,
          key: 'unit',
          fixed: 'left',
          width: 140,
          render: (_, row) => (
            <span>
              {row.name} {row.role && <UnitRoleTag role={row.role} />}
            </span>
          ),
        },
        ...rounds.map((round, index) => ({
          title: (
            <span>
              {round.label} <RoundStatusTag status={round.status} />
            </span>
          ),
          key: `r${round.id}`,
          width: 320,
          render: (_: unknown, row: (typeof unitRows)[number]) => cell(answerOf(index, row)),
        })),
      ]}
    />
  );
}

function InstructionForm({ detail }: { detail: TaskDetailView }) {
  const { message } = App.useApp();
  const stashKey = `instruction:${detail.task.id}`;
  const [text, setText] = useState(() => unstashText(stashKey));
  const openRounds = detail.rounds.filter((r) => r.status === 'open');
  const [roundId, setRoundId] = useState<number | undefined>(openRounds.at(-1)?.id);
  const add = useAddInstruction(detail.task.id);
  const submit = () => {
    const value = text.trim();
    if (!value) return;
    add.mutate(roundId ? { text: value, roundId } : { text: value }, {
      onSuccess: () => {
        setText('');
        stashText(stashKey, '');
        message.success('批示已提交');
      },
    });
  };
  return (
    <Form layout="vertical" onFinish={submit} style={{ marginTop: 16 }}>
      {add.error && (
        <Alert type="error" showIcon title={describeError(add.error)} style={{ marginBottom: 12 }} description="批示内容已保留，可修改后重新提交。" />
      )}
      <Form.Item label="批示内容" htmlFor="instruction-text" required>
        <Input.TextArea
          id="instruction-text"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            stashText(stashKey, e.target.value);
          }}
          autoSize={{ minRows: 3, maxRows: 10 }}
          count={{ show: true, max: InstructionLimits.text.max }}
          placeholder="请输入对该项任务的批示"
        />
      </Form.Item>
      <Flex gap={8} wrap align="center">
        {detail.rounds.length > 0 && (
          <Select
            aria-label="批示针对的调度轮次"
            style={{ minWidth: 200 }}
            allowClear
            placeholder="不限轮次"
            value={roundId}
            onChange={(value?: number) => setRoundId(value)}
            options={[...detail.rounds].reverse().map((r) => ({ value: r.id, label: r.label }))}
          />
        )}
        <Button type="primary" htmlType="submit" loading={add.isPending} disabled={!text.trim() || text.length > InstructionLimits.text.max}>
          提交批示
        </Button>
      </Flex>
    </Form>
  );
}

/** The 批示, newest first, each with the units' 落实反馈 under it (read from the instructions API). */
function InstructionList({ detail, roundLabel }: { detail: TaskDetailView; roundLabel: (id: number | null) => string | undefined }) {
  const withFeedback = useTaskInstructions(detail.task.id);
  const feedbackOf = (id: number) => withFeedback.data?.find((item) => item.id === id)?.feedback ?? [];
  if (detail.instructions.length === 0) return <Typography.Text type="secondary">暂无批示</Typography.Text>;
  return (
    <List
      dataSource={[...detail.instructions].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
      renderItem={(item) => {
        const feedback = feedbackOf(item.id);
        return (
          <List.Item>
            <List.Item.Meta
              title={
                <Space wrap>
                  <Typography.Text strong>{item.author}</Typography.Text>
                  <Typography.Text type="secondary">{formatDateTime(item.createdAt)}</Typography.Text>
                  {item.roundId && roundLabel(item.roundId) && <Tag>{roundLabel(item.roundId)}</Tag>}
                </Space>
              }
              description={
                <div>
                  <div className="prose" style={{ color: 'rgba(0,0,0,0.88)' }}>
                    {item.text}
                  </div>
                  <section aria-label="落实反馈" style={{ marginTop: 8 }}>
                    {feedback.length === 0 ? (
                      <Typography.Text style={{ fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>责任单位尚未反馈落实情况</Typography.Text>
                    ) : (
                      feedback.map((entry) => (
                        <div key={entry.id} style={{ borderLeft: '3px solid #b37feb', paddingLeft: 8, marginTop: 6 }}>
                          <Typography.Text style={{ fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>
                            {entry.unitName} {entry.author} 落实反馈 · {formatDateTime(entry.createdAt)}
                          </Typography.Text>
                          <div className="prose" style={{ color: 'rgba(0,0,0,0.88)' }}>
                            {entry.text}
                          </div>
                        </div>
                      ))
                    )}
                  </section>
                </div>
              }
            />
          </List.Item>
        );
      }}
    />
  );
}

/** 修改记录: each change of the task (any version) as a sentence naming the round it applies from. */
function TaskHistory({ taskId, retired }: { taskId: number; retired: boolean }) {
  const history = useTaskHistory(taskId);
  if (!history.data || (history.data.length === 0 && !retired)) return null;
  return (
    <Card title="修改记录" size="small" style={{ marginBottom: 16 }} extra={retired ? <Tag>已撤销</Tag> : undefined}>
      {history.data.length === 0 ? (
        <Typography.Text type="secondary">该任务已撤销。</Typography.Text>
      ) : (
        <List size="small" dataSource={history.data} renderItem={(entry) => <List.Item>{entry.sentence}</List.Item>} />
      )}
    </Card>
  );
}

export function TaskDetailPage() {
  const taskId = Number(useParams().taskId);
  const user = useCurrentUser();
  const words = useWords();
  const query = useTask(taskId);

  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const detail = query.data!;
        const { task } = detail;
        const roundLabel = (id: number | null) => detail.rounds.find((r) => r.id === id)?.label;
        return (
          <>
            <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/plans">分工方案</Link> }, { title: `第 ${task.position} 项任务` }]} />
            <PageTitle
              title={`任务详情：第 ${task.position} 项`}
              subtitle={`${chapterLabel(task.chapter.number)}${task.chapter.title} › ${sectionLabel(task.section.number)}${task.section.title}`}
            />
            <Card title="具体工作任务" size="small" style={{ marginBottom: 16 }}>
              <div className="prose" style={{ fontSize: 15 }}>
                {task.text}
              </div>
              <Descriptions
                size="small"
                column={{ xs: 1, md: 3 }}
                style={{ marginTop: 12 }}
                items={[
                  { key: 'dept', label: '省级牵头部门', children: task.leadDepartment ?? '—' },
                  { key: 'leaders', label: words.leadersColumn, children: task.leaders.join('、') || '—' },
                  {
                    key: 'units',
                    label: words.unitsColumn,
                    children: (
                      <Space size={[4, 4]} wrap>
                        {task.units.map((unit) => (
                          <span key={unit.id} style={{ whiteSpace: 'nowrap' }}>
                            {unit.name}
                            <UnitRoleTag role={unit.role} />
                          </span>
                        ))}
                      </Space>
                    ),
                  },
                  ...(task.due ? [{ key: 'due', label: '完成时限', children: task.due }] : []),
                ]}
              />
              {task.warnings.map((w) => (
                <Tag key={w} color="warning" style={{ whiteSpace: 'normal', marginTop: 8 }}>
                  {w}
                </Tag>
              ))}
            </Card>
            <TaskHistory taskId={task.id} retired={task.retired} />
            <Card title="各轮推进情况" size="small" style={{ marginBottom: 16 }}>
              <ProgressByRound detail={detail} />
            </Card>
            <Card title={`${words.leader}批示（${detail.instructions.length}）`} size="small">
              <InstructionList detail={detail} roundLabel={roundLabel} />
              {can.writeInstructions(user.role) && <InstructionForm detail={detail} />}
            </Card>
          </>
        );
      }}
    </QueryState>
  );
}
