import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Empty, Grid, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ReminderLadderView, RoundView } from '../../../../domain/api/round-view.ts';
import { canonicalRung, ReminderLimits, rungLabel, rungOf, rungOrder, rungProblem } from '../../../../domain/reminder-rungs.ts';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useReminderLadder, useSetReminderLadder } from '../api/reminder-ladder.ts';

type Step = { rung: string; allowQuietHours: boolean; allowWeekends: boolean };
type Kind = 'before' | 'due_day' | 'overdue_daily';

const KINDS: { value: Kind; label: string; unit: string; placeholder: string; initial: string }[] = [
  { value: 'before', label: '截止前', unit: '天（09:00）', placeholder: '7', initial: '7' },
  { value: 'due_day', label: '截止当天', unit: '时刻', placeholder: '09:00', initial: '09:00' },
  { value: 'overdue_daily', label: '逾期后每天', unit: '时刻', placeholder: '09:00', initial: '09:00' },
];

const stepsOf = (view: ReminderLadderView | undefined): Step[] =>
  (view?.rungs ?? []).map(({ rung, allowQuietHours, allowWeekends }) => ({ rung, allowQuietHours, allowWeekends }));
const same = (a: Step[], b: Step[]) => JSON.stringify(a) === JSON.stringify(b);

/** One rung as a line of the confirmation: its label and what it may do beyond the default. */
function describeStep(step: Step): string {
  const extra = [step.allowQuietHours && '夜间也发', step.allowWeekends && '周末也发'].filter(Boolean).join('、');
  return `${rungLabel(step.rung)}${extra ? `（${extra}）` : ''}`;
}

/**
 * 催办提醒: the round's reminder ladder (issue 16). Each rung is a row with whether it may go out
 * at night (22:00–08:00) and at weekends; rungs are added as 截止前 N 天 / 截止当天 HH:MM /
 * 逾期后每天 HH:MM and saved together after a confirmation. The server sends from it by itself.
 */
export function ReminderLadderCard({ round }: { round: RoundView }) {
  // The office's alone (the server refuses anyone else); imported rounds never had reminders.
  const user = useCurrentUser();
  return user.role === 'office' && round.status !== 'imported' ? <LadderEditor round={round} /> : null;
}

function LadderEditor({ round }: { round: RoundView }) {
  const open = round.status === 'open';
  const ladder = useReminderLadder(round.id);
  const save = useSetReminderLadder(round.id);
  const { message, modal } = App.useApp();
  // On a phone the rows keep their label on one line: narrower boxes, the remove button as an icon.
  const narrow = !Grid.useBreakpoint().sm;
  const [steps, setSteps] = useState<Step[]>([]);
  const [kind, setKind] = useState<Kind>('before');
  const [value, setValue] = useState('7');
  const [addError, setAddError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const saved = stepsOf(ladder.data);
  // The form starts from what the server holds, and again after each save or reload.
  useEffect(() => setSteps(stepsOf(ladder.data)), [ladder.data]);
  const dirty = !same(steps, saved);

  const add = () => {
    const typed = rungOf(kind, value);
    const problem = rungProblem(typed);
    if (problem) return setAddError(problem);
    const rung = canonicalRung(typed);
    if (steps.some((s) => s.rung === rung)) return setAddError(`“${rungLabel(rung)}”已在列表中`);
    if (steps.length >= ReminderLimits.rungs) return setAddError(`最多 ${ReminderLimits.rungs} 条提醒`);
    setAddError(null);
    setSaveError(null);
    setSteps([...steps, { rung, allowQuietHours: false, allowWeekends: false }].sort((a, b) => rungOrder(a.rung) - rungOrder(b.rung)));
  };
  const change = (rung: string, patch: Partial<Step>) => setSteps(steps.map((s) => (s.rung === rung ? { ...s, ...patch } : s)));

  const confirmSave = () =>
    modal.confirm({
      autoFocusButton: 'cancel',
      title: '保存催办提醒？',
      content:
        steps.length === 0
          ? '本轮将不再自动发送催办提醒，已安排而未发送的提醒一并取消。'
          : `未提交的单位将在以下时间收到提醒：${steps.map(describeStep).join('；')}。`,
      okText: '保存',
      cancelText: '取消',
      onOk: () =>
        save.mutateAsync({ rungs: steps }).then(
          (view) => {
            setSaveError(null);
            message.success(view.pending > 0 ? `催办提醒已保存，待发 ${view.pending} 条` : '催办提醒已保存');
          },
          (error: unknown) => setSaveError(describeError(error)),
        ),
    });

  const view = ladder.data;
  return (
    <Card size="small" title="催办提醒" style={{ marginBottom: 16 }} id="reminder-ladder">
      <QueryState isPending={ladder.isPending} error={ladder.error} retry={() => void ladder.refetch()}>
        {() => (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              未提交的单位按下列时间自动收到提醒（站内、邮件和群机器人）。默认不在夜间（22:00–08:00）和周末发送，顺延到次日 08:00 或下周一。
            </Typography.Paragraph>
            {!round.deadline && open && <Alert type="warning" showIcon title="本轮尚未设置截止时间：设置截止时间后才会按下列时间发送提醒。" />}
            {!open && <Alert type="info" showIcon title="本轮不在进行中，不再发送提醒。" />}
            <div data-testid="ladder-status">
              <Typography.Text strong>
                {view && view.pending > 0 ? `待发提醒 ${view.pending} 条，下一次 ${formatDateTime(view.nextDueAt)}` : '暂无待发提醒'}
              </Typography.Text>
              {view?.setBy && (
                <Typography.Text
                  type="secondary"
                  style={{ marginLeft: 12, whiteSpace: 'nowrap' }}
                >{`${view.setBy} 于 ${formatDateTime(view.setAt)} 设置`}</Typography.Text>
              )}
            </div>
            <Table<Step>
              rowKey="rung"
              size="small"
              pagination={false}
              dataSource={steps}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="不自动发送提醒" /> }}
              columns={[
                { title: '提醒时间', key: 'label', render: (_, step) => <span style={{ whiteSpace: 'nowrap' }}>{rungLabel(step.rung)}</span> },
                {
                  title: '允许夜间',
                  key: 'night',
                  width: narrow ? 60 : 96,
                  align: 'center',
                  render: (_, step) => (
                    <Checkbox
                      aria-label={`${rungLabel(step.rung)}允许夜间发送`}
                      disabled={!open}
                      checked={step.allowQuietHours}
                      onChange={(e) => change(step.rung, { allowQuietHours: e.target.checked })}
                    />
                  ),
                },
                {
                  title: '允许周末',
                  key: 'weekend',
                  width: narrow ? 60 : 96,
                  align: 'center',
                  render: (_, step) => (
                    <Checkbox
                      aria-label={`${rungLabel(step.rung)}允许周末发送`}
                      disabled={!open}
                      checked={step.allowWeekends}
                      onChange={(e) => change(step.rung, { allowWeekends: e.target.checked })}
                    />
                  ),
                },
                ...(open
                  ? [
                      {
                        title: '操作',
                        key: 'remove',
                        width: narrow ? 52 : 80,
                        render: (_: unknown, step: Step) => (
                          <Button
                            size="small"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={`删除${rungLabel(step.rung)}`}
                            onClick={() => setSteps(steps.filter((s) => s.rung !== step.rung))}
                          >
                            {narrow ? null : '删除'}
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            {open && (
              <div onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}>
                <Space wrap size={8} align="center">
                  <Select<Kind>
                    aria-label="提醒类型"
                    value={kind}
                    style={{ width: 128 }}
                    options={KINDS.map((k) => ({ value: k.value, label: k.label }))}
                    onChange={(next) => {
                      setKind(next);
                      setValue(KINDS.find((k) => k.value === next)!.initial);
                      setAddError(null);
                    }}
                  />
                  <Input
                    aria-label={kind === 'before' ? '提前天数' : '提醒时刻'}
                    value={value}
                    status={addError ? 'error' : undefined}
                    maxLength={5}
                    style={{ width: kind === 'before' ? 64 : 80 }}
                    placeholder={KINDS.find((k) => k.value === kind)!.placeholder}
                    onChange={(e) => {
                      setValue(e.target.value);
                      setAddError(null);
                    }}
                  />
                  <Typography.Text type="secondary">{KINDS.find((k) => k.value === kind)!.unit}</Typography.Text>
                  <Button icon={<PlusOutlined />} onClick={add}>
                    添加提醒
                  </Button>
                </Space>
                {addError && (
                  <Typography.Text type="danger" role="alert" style={{ display: 'block', marginTop: 4 }}>
                    {addError}
                  </Typography.Text>
                )}
              </div>
            )}
            {saveError && <Alert type="error" showIcon title={`未能保存：${saveError}`} />}
            {open && (
              <Space>
                <Button type="primary" disabled={!dirty} loading={save.isPending} onClick={confirmSave}>
                  保存催办提醒
                </Button>
                <Button
                  disabled={!dirty}
                  onClick={() => {
                    setSteps(saved);
                    setSaveError(null);
                  }}
                >
                  撤销修改
                </Button>
              </Space>
            )}
          </div>
        )}
      </QueryState>
    </Card>
  );
}
