import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Select, Space, Tree, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { RoundLimits } from '../../../../domain/limits.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { ApiError, describeError } from '../../../lib/api.ts';
import { chapterLabel, sectionLabel } from '../../../lib/format.ts';
import { usePlans } from '../../../lib/queries.ts';
import { nextQuarter, useCreateRound, usePlanTasks } from '../api/rounds.ts';

/** Ten days after the period, at 17:30; never in the past (a late round still needs time to answer). */
function defaultDeadline(periodEnd: string): Dayjs {
  const afterPeriod = dayjs(periodEnd).add(10, 'day');
  const inAWeek = dayjs().add(7, 'day');
  return (afterPeriod.isAfter(inAWeek) ? afterPeriod : inAWeek).hour(17).minute(30).second(0).millisecond(0);
}

interface FormValues {
  label: string;
  period: [Dayjs, Dayjs];
  deadline: Dayjs;
  note?: string;
  requiresApproval: boolean;
  scope: 'all' | 'some';
}

/** 发起调度: label, period, deadline, note, approval, and which tasks (all by default). */
export function NewRoundPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const plans = usePlans();
  const [planId, setPlanId] = useState<number | null>(Number(search.get('planId')) || null);
  const effectivePlanId = planId ?? plans.data?.[0]?.id ?? null;
  const plan = plans.data?.find((p) => p.id === effectivePlanId);
  const tasks = usePlanTasks(effectivePlanId);
  const create = useCreateRound(effectivePlanId ?? 0);
  const [form] = Form.useForm<FormValues>();
  const scope = Form.useWatch('scope', form) ?? 'all';
  const [checked, setChecked] = useState<number[] | null>(null);

  const latestLabel = plan?.rounds.reduce<{ id: number; label: string } | undefined>((best, r) => (!best || r.id > best.id ? r : best), undefined)?.label;
  const suggestion = nextQuarter(latestLabel);

  const treeData = useMemo(
    () =>
      (tasks.data?.chapters ?? []).map((chapter) => ({
        key: `c${chapter.id}`,
        title: `${chapterLabel(chapter.number)}${chapter.title}`,
        children: chapter.sections.map((section) => ({
          key: `s${section.id}`,
          title: `${sectionLabel(section.number)}${section.title}`,
          children: section.tasks.map((task) => ({ key: task.id, title: `第${task.position}项 ${task.text.slice(0, 40)}${task.text.length > 40 ? '…' : ''}`, isLeaf: true })),
        })),
      })),
    [tasks.data],
  );
  const allTasks = useMemo(() => (tasks.data?.chapters ?? []).flatMap((c) => c.sections.flatMap((s) => s.tasks)), [tasks.data]);
  const allTaskIds = useMemo(() => allTasks.map((t) => t.id), [allTasks]);
  const unitOptions = useMemo(() => {
    const units = new Map<number, string>();
    for (const task of allTasks) for (const unit of task.units) units.set(unit.id, unit.name);
    const collator = new Intl.Collator('zh-CN');
    return [...units].map(([value, label]) => ({ value, label })).sort((a, b) => collator.compare(a.label, b.label));
  }, [allTasks]);
  const selected = checked ?? allTaskIds;

  const onFinish = (values: FormValues) => {
    if (values.scope === 'some' && selected.length === 0) {
      message.error('请至少选择一项任务');
      return;
    }
    create.mutate(
      {
        label: values.label.trim(),
        periodStart: values.period[0].format('YYYY-MM-DD'),
        periodEnd: values.period[1].format('YYYY-MM-DD'),
        deadline: values.deadline.toISOString(),
        note: values.note?.trim() ?? '',
        requiresApproval: values.requiresApproval,
        ...(values.scope === 'some' ? { taskIds: selected } : {}),
      },
      {
        onSuccess: (round) => {
          message.success(`已发起“${round.label}”调度`);
          void navigate(`/rounds/${round.id}`);
        },
        onError: (error) => {
          // The server names the field (a label already used, say): show it there.
          const field = error instanceof ApiError ? error.details.field : undefined;
          if (field === 'label' || field === 'deadline' || field === 'note') {
            form.setFields([{ name: field, errors: [describeError(error)] }]);
            form.scrollToField(field);
          } else message.error(`发起失败：${describeError(error)}`);
        },
      },
    );
  };

  return (
    <>
      <PageTitle title="发起调度" subtitle={plan?.title} />
      <QueryState isPending={plans.isPending} error={plans.error}>
        {() => (
          <Card style={{ maxWidth: 880 }}>
            {create.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={`发起失败：${describeError(create.error)}`} />}
            <Form<FormValues>
              form={form}
              layout="vertical"
              onFinish={onFinish}
              key={`${effectivePlanId}-${suggestion.label}`}
              initialValues={{
                label: suggestion.label,
                period: [dayjs(suggestion.start), dayjs(suggestion.end)],
                deadline: defaultDeadline(suggestion.end),
                requiresApproval: false,
                scope: 'all',
                note: '',
              }}
            >
              {(plans.data?.length ?? 0) > 1 && (
                <Form.Item label="分工方案" htmlFor="round-plan">
                  <Select id="round-plan" value={effectivePlanId ?? undefined} onChange={(v: number) => setPlanId(v)} options={plans.data?.map((p) => ({ value: p.id, label: p.title }))} />
                </Form.Item>
              )}
              <Form.Item
                label="轮次名称"
                name="label"
                extra={latestLabel ? `上一轮：${latestLabel}` : undefined}
                rules={[
                  { required: true, whitespace: true, message: '请输入轮次名称，如：2017年第三季度' },
                  { max: RoundLimits.label.max, message: `不超过 ${RoundLimits.label.max} 字` },
                ]}
              >
                <Input placeholder="如：2017年第三季度" maxLength={RoundLimits.label.max} />
              </Form.Item>
              <Form.Item label="调度期间" name="period" rules={[{ required: true, message: '请选择调度期间' }]}>
                <DatePicker.RangePicker style={{ width: '100%' }} placeholder={['开始日期', '结束日期']} />
              </Form.Item>
              <Form.Item
                label="截止时间"
                name="deadline"
                rules={[
                  { required: true, message: '请选择截止时间' },
                  {
                    // Back-filling an old quarter is allowed; the office is only told what it means.
                    warningOnly: true,
                    validator: (_, value?: Dayjs) =>
                      value && value.isBefore(dayjs()) ? Promise.reject(new Error('截止时间已过：发起后各单位将立即显示为红灯')) : Promise.resolve(),
                  },
                  {
                    validator: (_, value?: Dayjs) => {
                      const period = form.getFieldValue('period') as [Dayjs, Dayjs] | undefined;
                      return value && period?.[0] && value.isBefore(period[0], 'day') ? Promise.reject(new Error('截止时间不能早于调度期间的开始日期')) : Promise.resolve();
                    },
                  },
                ]}
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} placeholder="请选择截止时间" />
              </Form.Item>
              <Form.Item label="给各单位的说明" name="note" rules={[{ max: RoundLimits.note.max, message: `不超过 ${RoundLimits.note.max} 字` }]}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} count={{ show: true, max: RoundLimits.note.max }} placeholder="如：请各处（室）、直属单位于截止时间前填报本季度推进情况" />
              </Form.Item>
              <Form.Item name="requiresApproval" valuePropName="checked">
                <Checkbox>需经处室负责人审核后报送</Checkbox>
              </Form.Item>
              <Form.Item label="调度任务" name="scope">
                <Radio.Group
                  options={[
                    { value: 'all', label: `全部任务（${allTaskIds.length} 项）` },
                    { value: 'some', label: '选择部分任务' },
                  ]}
                />
              </Form.Item>
              {scope === 'some' && (
                <Form.Item>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Space wrap>
                      <Typography.Text type="secondary">
                        已选 {selected.length} / {allTaskIds.length} 项
                      </Typography.Text>
                      <Button size="small" onClick={() => setChecked(allTaskIds)}>
                        全选
                      </Button>
                      <Button size="small" onClick={() => setChecked([])}>
                        全不选
                      </Button>
                      <Select<number>
                        size="small"
                        style={{ minWidth: 200 }}
                        aria-label="加选某责任部门的全部任务"
                        placeholder="加选某责任部门的全部任务"
                        showSearch={{ optionFilterProp: 'label' }}
                        value={null}
                        options={unitOptions}
                        onChange={(unitId) => {
                          const add = allTasks.filter((t) => t.units.some((u) => u.id === unitId)).map((t) => t.id);
                          setChecked([...new Set([...selected, ...add])]);
                        }}
                      />
                    </Space>
                    <div style={{ border: '1px solid #f0f0f0', borderRadius: 6, maxHeight: 420, overflow: 'auto', padding: 8 }}>
                      <Tree
                        checkable
                        selectable={false}
                        defaultExpandAll
                        treeData={treeData}
                        checkedKeys={selected}
                        onCheck={(keys) => {
                          const list = Array.isArray(keys) ? keys : keys.checked;
                          setChecked(list.filter((k): k is number => typeof k === 'number'));
                        }}
                        aria-label="选择调度任务"
                      />
                    </div>
                  </Space>
                </Form.Item>
              )}
              <Space>
                <Button type="primary" htmlType="submit" loading={create.isPending} disabled={create.isPending}>
                  发起调度
                </Button>
                <Button onClick={() => void navigate(-1)}>取消</Button>
              </Space>
            </Form>
          </Card>
        )}
      </QueryState>
    </>
  );
}
