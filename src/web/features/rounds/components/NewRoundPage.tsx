import { Alert, App, Button, Card, Checkbox, Form, Input, Popconfirm, Radio, Select, Space, Tag, Tree, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { CollectiveUnitView } from '../../../../domain/api/round-view.ts';
import { RoundLimits } from '../../../../domain/limits.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { deadlineOf, timeOfDayRules, TYPED_DATE_FORMS, TypedDateInput, typedDateRules, typedDateValue } from '../../../components/TypedDateInput.tsx';
import { ApiError, describeError } from '../../../lib/api.ts';
import { chapterLabel, formatDate, formatDateTime, sectionLabel } from '../../../lib/format.ts';
import { usePlans } from '../../../lib/queries.ts';
import { nextQuarter, useCollectiveUnits, useCreateRound, usePlanTasks, useSetCollectiveMembers, useUnitsWithoutHead } from '../api/rounds.ts';
import { useWords } from '../../../lib/organisation.ts';
import { defaultDeadlineDate } from './round-defaults.ts';

interface FormValues {
  label: string;
  /** As typed: 2017-07-01, 2017/7/1, 2017年7月1日 … */
  periodStart: string;
  periodEnd: string;
  deadlineDate: string;
  deadlineTime: string;
  note?: string;
  requiresApproval: boolean;
  scope: 'all' | 'some';
}

/** Enter in a single-line field never sends this form: opening a round is confirmed with a button only. */
function blockEnter(event: KeyboardEvent<HTMLFormElement>) {
  const target = event.target as HTMLElement;
  if (event.key === 'Enter' && target.tagName === 'INPUT') event.preventDefault();
}

/** One collective unit (各处(室) …) of the chosen tasks: who answers it, and the office's choice of member units. */
function CollectiveUnitRow({ unit, options, planId }: { unit: CollectiveUnitView; options: { value: number; label: string }[]; planId: number | null }) {
  const { message } = App.useApp();
  const save = useSetCollectiveMembers(planId);
  const [editing, setEditing] = useState<number[] | null>(null);
  const names = (ids: number[]) => ids.map((id) => options.find((o) => o.value === id)?.label ?? String(id)).join('、');
  return (
    <div style={{ marginBottom: 8 }}>
      <Space wrap>
        <Typography.Text strong>{unit.unitName}</Typography.Text>
        {unit.answeredBy === 'office' ? (
          <Tag color="orange">由办公室自行填写</Tag>
        ) : (
          <Tag color="blue">由 {unit.members.map((m) => m.name).join('、')} 填报（作为配合单位）</Tag>
        )}
        {editing === null && (
          <Button size="small" aria-label={`指定代表的单位（${unit.unitName}）`} onClick={() => setEditing(unit.members.map((m) => m.id))}>
            指定代表的单位
          </Button>
        )}
      </Space>
      {editing !== null && (
        <Space wrap style={{ marginTop: 6, width: '100%' }}>
          <Select<number[]>
            mode="multiple"
            aria-label={`${unit.unitName}代表的单位`}
            style={{ minWidth: 360 }}
            placeholder="不选：由办公室自行填写"
            showSearch={{ optionFilterProp: 'label' }}
            value={editing}
            options={options}
            onChange={setEditing}
          />
          <Popconfirm
            title={
              editing.length
                ? `“${unit.unitName}”的任务改由 ${names(editing)} 填报（今后发起的调度生效）`
                : `“${unit.unitName}”的任务由办公室自行填写（今后发起的调度生效）`
            }
            okText="保存"
            cancelText="取消"
            onConfirm={() =>
              save.mutateAsync({ unitId: unit.unitId, memberUnitIds: editing }).then(
                () => {
                  message.success('已保存');
                  setEditing(null);
                },
                (error: unknown) => void message.error(`保存失败：${describeError(error)}`),
              )
            }
          >
            <Button size="small" type="primary" aria-label={`保存${unit.unitName}代表的单位`} loading={save.isPending}>
              保存
            </Button>
          </Popconfirm>
          <Button size="small" onClick={() => setEditing(null)}>
            取消
          </Button>
        </Space>
      )}
    </div>
  );
}

/** 发起调度: label, period, deadline, note, approval, and which tasks (all by default). */
export function NewRoundPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const words = useWords();
  const { message, modal } = App.useApp();
  const plans = usePlans();
  const [planId, setPlanId] = useState<number | null>(Number(search.get('planId')) || null);
  const effectivePlanId = planId ?? plans.data?.[0]?.id ?? null;
  const plan = plans.data?.find((p) => p.id === effectivePlanId);
  const tasks = usePlanTasks(effectivePlanId);
  const create = useCreateRound(effectivePlanId ?? 0);
  const [form] = Form.useForm<FormValues>();
  const scope = Form.useWatch('scope', form) ?? 'all';
  const deadlineText = Form.useWatch('deadlineDate', form);
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
          children: section.tasks.map((task) => ({
            key: task.id,
            title: `第${task.position}项 ${task.text.slice(0, 40)}${task.text.length > 40 ? '…' : ''}`,
            isLeaf: true,
          })),
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
  const chosenTaskIds = scope === 'some' ? selected : undefined;
  const requiresApproval = Form.useWatch('requiresApproval', form) ?? false;
  const withoutHead = useUnitsWithoutHead(effectivePlanId, chosenTaskIds, requiresApproval);
  const collectives = useCollectiveUnits(effectivePlanId, chosenTaskIds);
  const collectiveIds = useMemo(() => new Set((collectives.data ?? []).map((c) => c.unitId)), [collectives.data]);
  const memberOptions = useMemo(() => unitOptions.filter((o) => !collectiveIds.has(o.value)), [unitOptions, collectiveIds]);
  /** The units that will answer: those the chosen tasks name (collective ones replaced by their members). */
  const answeringUnits = useMemo(() => {
    const chosen = new Set(selected);
    const units = new Set<number>();
    for (const task of allTasks) if (scope === 'all' || chosen.has(task.id)) for (const unit of task.units) if (!collectiveIds.has(unit.id)) units.add(unit.id);
    for (const collective of collectives.data ?? []) for (const member of collective.members) units.add(member.id);
    return units.size;
  }, [allTasks, selected, scope, collectiveIds, collectives.data]);

  /** Server field names → this form's fields. */
  const FIELD_OF: Record<string, keyof FormValues> = {
    label: 'label',
    deadline: 'deadlineDate',
    periodStart: 'periodStart',
    periodEnd: 'periodEnd',
    note: 'note',
  };

  const open = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // antd shows each field's message
    }
    if (values.scope === 'some' && selected.length === 0) {
      message.error('请至少选择一项任务');
      return;
    }
    const deadline = deadlineOf(values.deadlineDate, values.deadlineTime)!;
    const input = {
      label: values.label.trim(),
      periodStart: typedDateValue(values.periodStart),
      periodEnd: typedDateValue(values.periodEnd),
      deadline,
      note: values.note?.trim() ?? '',
      requiresApproval: values.requiresApproval,
      ...(values.scope === 'some' ? { taskIds: selected } : {}),
    };
    const tasksCount = values.scope === 'some' ? selected.length : allTaskIds.length;
    modal.confirm({
      autoFocusButton: 'cancel',
      title: '发起调度',
      content: `发起“${input.label}”：${tasksCount} 项任务，${answeringUnits} 个单位，截止 ${formatDateTime(deadline)}，${input.requiresApproval ? `需经${words.unit}负责人审核` : `不需${words.unit}负责人审核`}。发起后各单位即收到填报任务。`,
      okText: '发起调度',
      cancelText: '再看看',
      onOk: () =>
        create.mutateAsync(input).then(
          (round) => {
            message.success(`已发起“${round.label}”调度`);
            void navigate(`/rounds/${round.id}`);
          },
          (error: unknown) => {
            // The server names the field (a label already used, say): show it there.
            const field = error instanceof ApiError && typeof error.details.field === 'string' ? FIELD_OF[error.details.field] : undefined;
            if (field) {
              form.setFields([{ name: field, errors: [describeError(error)] }]);
              form.scrollToField(field);
            } else message.error(`发起失败：${describeError(error)}`);
          },
        ),
    });
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
              onKeyDown={blockEnter}
              key={`${effectivePlanId}-${suggestion.label}`}
              initialValues={{
                label: suggestion.label,
                periodStart: suggestion.start,
                periodEnd: suggestion.end,
                deadlineDate: defaultDeadlineDate(suggestion.end),
                deadlineTime: '17:30',
                requiresApproval: false,
                scope: 'all',
                note: '',
              }}
            >
              {(plans.data?.length ?? 0) > 1 && (
                <Form.Item label="分工方案" htmlFor="round-plan">
                  <Select
                    id="round-plan"
                    value={effectivePlanId ?? undefined}
                    onChange={(v: number) => setPlanId(v)}
                    options={plans.data?.map((p) => ({ value: p.id, label: p.title }))}
                  />
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
              <Space wrap align="start" size={16}>
                <Form.Item label="调度期间开始" name="periodStart" htmlFor="round-period-start" rules={typedDateRules('开始日期', { required: true })}>
                  <TypedDateInput id="round-period-start" style={{ width: 220 }} />
                </Form.Item>
                <Form.Item
                  label="调度期间结束"
                  name="periodEnd"
                  htmlFor="round-period-end"
                  dependencies={['periodStart']}
                  rules={[
                    ...typedDateRules('结束日期', { required: true }),
                    {
                      validator: (_, value: string) => {
                        const start = typedDateValue(form.getFieldValue('periodStart'));
                        const end = typedDateValue(value);
                        return start && end && end < start ? Promise.reject(new Error('结束日期早于开始日期')) : Promise.resolve();
                      },
                    },
                  ]}
                >
                  <TypedDateInput id="round-period-end" style={{ width: 220 }} />
                </Form.Item>
              </Space>
              <Space wrap align="start" size={16}>
                <Form.Item
                  label="截止日期"
                  name="deadlineDate"
                  htmlFor="round-deadline"
                  dependencies={['periodStart']}
                  extra={(() => {
                    const day = typedDateValue(deadlineText);
                    return day ? `即 ${formatDate(day)}` : `可输入 ${TYPED_DATE_FORMS}`;
                  })()}
                  rules={[
                    ...typedDateRules('截止日期', { required: true }),
                    {
                      // Back-filling an old quarter is allowed; the office is only told what it means.
                      warningOnly: true,
                      validator: (_, value: string) => {
                        const day = typedDateValue(value);
                        return day && day < dayjs().format('YYYY-MM-DD')
                          ? Promise.reject(new Error('截止日期已过：发起后各单位将立即显示为红灯'))
                          : Promise.resolve();
                      },
                    },
                    {
                      validator: (_, value: string) => {
                        const day = typedDateValue(value);
                        const start = typedDateValue(form.getFieldValue('periodStart'));
                        return day && start && day < start ? Promise.reject(new Error('截止日期不能早于调度期间的开始日期')) : Promise.resolve();
                      },
                    },
                  ]}
                >
                  <TypedDateInput id="round-deadline" style={{ width: 220 }} />
                </Form.Item>
                <Form.Item label="截止时刻" name="deadlineTime" htmlFor="round-deadline-time" rules={timeOfDayRules('截止时刻')}>
                  <Input id="round-deadline-time" style={{ width: 120 }} maxLength={5} placeholder="17:30" />
                </Form.Item>
              </Space>
              <Form.Item label="给各单位的说明" name="note" rules={[{ max: RoundLimits.note.max, message: `不超过 ${RoundLimits.note.max} 字` }]}>
                <Input.TextArea
                  autoSize={{ minRows: 3, maxRows: 8 }}
                  count={{ show: true, max: RoundLimits.note.max }}
                  placeholder="如：请各处（室）、直属单位于截止时间前填报本季度推进情况"
                />
              </Form.Item>
              <Form.Item name="requiresApproval" valuePropName="checked">
                <Checkbox>需经{words.unit}负责人审核后报送</Checkbox>
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
                        aria-label={`加选某${words.unitsColumn}的全部任务`}
                        placeholder={`加选某${words.unitsColumn}的全部任务`}
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
              {(collectives.data?.length ?? 0) > 0 && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title="所选任务含集体名称：不作为单位催办"
                  description={
                    <>
                      <Typography.Paragraph style={{ marginBottom: 8 }}>
                        “各处(室)”“直属单位”等没有人能以其名义登录。请指定它代表的单位（其任务作为配合任务进入这些单位的填报），或由办公室自行填写。
                      </Typography.Paragraph>
                      {collectives.data!.map((unit) => (
                        <CollectiveUnitRow key={unit.unitId} unit={unit} options={memberOptions} planId={effectivePlanId} />
                      ))}
                    </>
                  }
                />
              )}
              {requiresApproval && (withoutHead.data?.length ?? 0) > 0 && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={`${withoutHead.data!.length} 个单位没有${words.unit}负责人账号`}
                  description={`${withoutHead.data!.map((u) => u.name).join('、')}：本轮需经${words.unit}负责人审核，这些单位提交后无人能审核。请先为其开设${words.unit}负责人账号，或不勾选“需经${words.unit}负责人审核”。`}
                />
              )}
              {requiresApproval && withoutHead.isSuccess && withoutHead.data.length === 0 && (
                <Alert type="success" showIcon style={{ marginBottom: 16 }} title={`所选任务的各单位都有${words.unit}负责人账号`} />
              )}
              <Space>
                <Button type="primary" htmlType="button" loading={create.isPending} disabled={create.isPending} onClick={() => void open()}>
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
