import { App, Button, Card, Drawer, Empty, Flex, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { EditableTaskView, PlanStructureView } from '../../../../domain/api/plan-edit.ts';
import { PlanEditLimits, TaskLimits } from '../../../../domain/limits.ts';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { chapterLabel, sectionLabel } from '../../../lib/format.ts';
import { usePlanChange, usePlanNames, usePlanStructure, type PlanChange, type TaskFormValues } from '../api/plan-edit.ts';

type Section = PlanStructureView['chapters'][number]['sections'][number];

type Dialog =
  | { kind: 'task'; section: Section; task: EditableTaskView | null }
  | { kind: 'heading'; level: 'chapter' | 'section'; id: number | null; parentId: number; title: string; retire: boolean }
  | { kind: 'move'; task: EditableTaskView }
  | { kind: 'retire'; task: EditableTaskView };

const reasonRules = [
  { required: true, whitespace: true, message: '请填写修改原因' },
  { max: PlanEditLimits.reason.max, message: `修改原因不能超过 ${PlanEditLimits.reason.max} 字` },
];

function ReasonField() {
  return (
    <Form.Item name="reason" label="修改原因" rules={reasonRules} extra="记入修改记录，任务页面的历史中可见">
      <Input.TextArea rows={2} maxLength={PlanEditLimits.reason.max} showCount placeholder="如：机构调整、职责划转" />
    </Form.Item>
  );
}

const short = (text: string, n = 24) => (text.length > n ? `${text.slice(0, n)}…` : text);
const unitsText = (units: TaskFormValues['units']) => units.map((u) => `${u.name}${u.role === 'lead' ? '（牵头）' : ''}`).join('、') || '无';

/** The fields of a task edit that changed, in a few words, for the confirmation. */
function changedWords(before: EditableTaskView, after: TaskFormValues): string[] {
  const words: string[] = [];
  if (before.text !== after.text) words.push('任务内容');
  if ((before.leadDepartment ?? null) !== after.leadDepartment) words.push(`牵头部门改为${after.leadDepartment ?? '无'}`);
  if (before.leaders.join('、') !== after.leaders.join('、')) words.push(`牵头领导改为${after.leaders.join('、') || '无'}`);
  if (unitsText(before.units) !== unitsText(after.units)) words.push(`责任单位改为${unitsText(after.units)}`);
  if ((before.due ?? null) !== after.due) words.push(`完成时限改为${after.due ?? '无'}`);
  return words;
}

/**
 * 编辑方案: the plan as it stands, with its changes (office only). Every change asks for its
 * reason and is confirmed with a one-line summary; a change to a task that a round already
 * covers applies from the next round.
 */
export function PlanEditor({ planId }: { planId: number }) {
  const structure = usePlanStructure(planId);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  return (
    <QueryState isPending={structure.isPending} error={structure.error} retry={() => void structure.refetch()}>
      {() => {
        const plan = structure.data!;
        const archived = plan.plan.archivedAt !== null;
        const sections = plan.chapters.flatMap((c) => c.sections.filter((s) => !s.retired).map((s) => ({ chapter: c, section: s })));
        return (
          <>
            <Typography.Paragraph type="secondary">
              {archived ? '该方案已归档，只能查看。' : '修改已被调度轮次使用的任务时，进行中和已结束的轮次保持原样，修改自下一轮起生效。每项修改都须填写原因。'}
            </Typography.Paragraph>
            {plan.chapters.length === 0 && <Empty description="方案中还没有章，请先新增章" />}
            {plan.chapters.map((chapter) => (
              <section key={chapter.id} aria-label={`${chapterLabel(chapter.number)}${chapter.title}`} style={{ marginBottom: 20 }}>
                <Flex align="center" gap={8} wrap>
                  <Typography.Title level={4} delete={chapter.retired} style={{ margin: '8px 0' }}>
                    {chapterLabel(chapter.number)}
                    {chapter.title}
                  </Typography.Title>
                  {chapter.retired && <Tag>已撤销</Tag>}
                  {!archived && !chapter.retired && (
                    <Space size={4} wrap>
                      <Button
                        size="small"
                        onClick={() => setDialog({ kind: 'heading', level: 'chapter', id: chapter.id, parentId: planId, title: chapter.title, retire: false })}
                      >
                        改名
                      </Button>
                      <Button
                        size="small"
                        onClick={() => setDialog({ kind: 'heading', level: 'section', id: null, parentId: chapter.id, title: '', retire: false })}
                      >
                        新增节
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() => setDialog({ kind: 'heading', level: 'chapter', id: chapter.id, parentId: planId, title: chapter.title, retire: true })}
                      >
                        撤销章
                      </Button>
                    </Space>
                  )}
                </Flex>
                {chapter.sections.map((section) => (
                  <div key={section.id} style={{ marginBottom: 12 }}>
                    <Flex align="center" gap={8} wrap>
                      <Typography.Title level={5} delete={section.retired} style={{ color: '#1f4e8c', margin: '6px 0' }}>
                        {sectionLabel(section.number)}
                        {section.title}
                      </Typography.Title>
                      {section.retired && <Tag>已撤销</Tag>}
                      {!archived && !section.retired && (
                        <Space size={4} wrap>
                          <Button size="small" type="primary" ghost onClick={() => setDialog({ kind: 'task', section, task: null })}>
                            新增任务
                          </Button>
                          <Button
                            size="small"
                            onClick={() =>
                              setDialog({ kind: 'heading', level: 'section', id: section.id, parentId: chapter.id, title: section.title, retire: false })
                            }
                          >
                            改名
                          </Button>
                          <Button
                            size="small"
                            danger
                            onClick={() =>
                              setDialog({ kind: 'heading', level: 'section', id: section.id, parentId: chapter.id, title: section.title, retire: true })
                            }
                          >
                            撤销节
                          </Button>
                        </Space>
                      )}
                    </Flex>
                    {section.tasks.map((task) => (
                      <EditableTaskCard
                        key={task.id}
                        task={task}
                        editable={!archived}
                        onEdit={() => setDialog({ kind: 'task', section, task })}
                        onMove={() => setDialog({ kind: 'move', task })}
                        onRetire={() => setDialog({ kind: 'retire', task })}
                      />
                    ))}
                  </div>
                ))}
              </section>
            ))}
            {!archived && (
              <Button onClick={() => setDialog({ kind: 'heading', level: 'chapter', id: null, parentId: planId, title: '', retire: false })}>新增章</Button>
            )}
            {dialog?.kind === 'task' && <TaskDrawer section={dialog.section} task={dialog.task} onClose={() => setDialog(null)} />}
            {dialog?.kind === 'heading' && <HeadingDialog dialog={dialog} onClose={() => setDialog(null)} />}
            {dialog?.kind === 'move' && <MoveDialog task={dialog.task} sections={sections} onClose={() => setDialog(null)} />}
            {dialog?.kind === 'retire' && <RetireDialog task={dialog.task} onClose={() => setDialog(null)} />}
          </>
        );
      }}
    </QueryState>
  );
}

function EditableTaskCard({
  task,
  editable,
  onEdit,
  onMove,
  onRetire,
}: {
  task: EditableTaskView;
  editable: boolean;
  onEdit: () => void;
  onMove: () => void;
  onRetire: () => void;
}) {
  return (
    <Card
      role="region"
      size="small"
      style={{ marginBottom: 8, background: task.retired ? '#f5f5f5' : undefined }}
      styles={{ body: { padding: 12 } }}
      aria-label={task.retired ? '已撤销的任务' : `第 ${task.position} 项任务`}
    >
      <Flex gap={8} wrap align="center" style={{ marginBottom: 4 }}>
        <Link to={`/tasks/${task.id}`}>
          <Typography.Text strong>{task.retired ? '任务' : `第 ${task.position} 项`}</Typography.Text>
        </Link>
        {task.retired && <Tag color="default">已撤销</Tag>}
        {task.leadDepartment && <Tag color="geekblue">{task.leadDepartment}</Tag>}
        {task.due && <Tag>完成时限：{task.due}</Tag>}
      </Flex>
      <Typography.Paragraph delete={task.retired} style={{ marginBottom: 6 }} ellipsis={{ rows: 3, expandable: true, symbol: '展开' }}>
        {task.text}
      </Typography.Paragraph>
      <div style={{ fontSize: 13 }}>
        <Typography.Text type="secondary">牵头领导：</Typography.Text>
        {task.leaders.join('、') || '—'}
        <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
          责任单位：
        </Typography.Text>
        {unitsText(task.units)}
      </div>
      {editable && !task.retired && (
        <Space size={4} wrap style={{ marginTop: 8 }}>
          <Button size="small" onClick={onEdit}>
            修改
          </Button>
          <Button size="small" onClick={onMove}>
            移动
          </Button>
          <Button size="small" danger onClick={onRetire}>
            撤销
          </Button>
        </Space>
      )}
    </Card>
  );
}

/** Sends one change after a confirmation naming it in one line; closes on success, says why not otherwise. */
function useConfirmedChange(onClose: () => void) {
  const { modal, message } = App.useApp();
  const change = usePlanChange();
  return {
    pending: change.isPending,
    confirm(title: string, summary: string, payload: PlanChange, done: string) {
      modal.confirm({
        title,
        content: summary,
        okText: '确定',
        cancelText: '取消',
        onOk: async () => {
          try {
            await change.mutateAsync(payload);
            message.success(done);
            onClose();
          } catch (error) {
            message.error(describeError(error));
          }
        },
      });
    },
  };
}

function TaskDrawer({ section, task, onClose }: { section: Section; task: EditableTaskView | null; onClose: () => void }) {
  const [form] = Form.useForm();
  const names = usePlanNames();
  const send = useConfirmedChange(onClose);
  const options = (list: string[] | undefined) => (list ?? []).map((name) => ({ value: name, label: name }));
  const initial = task
    ? {
        text: task.text,
        leadDepartment: task.leadDepartment ?? undefined,
        leaders: task.leaders,
        leadUnits: task.units.filter((u) => u.role === 'lead').map((u) => u.name),
        coUnits: task.units.filter((u) => u.role === 'co').map((u) => u.name),
        due: task.due ?? '',
      }
    : { leaders: [], leadUnits: [], coUnits: [] };

  const submit = async () => {
    const v = await form.validateFields();
    const values: TaskFormValues = {
      text: String(v.text).trim(),
      leadDepartment: v.leadDepartment ?? null,
      leaders: v.leaders ?? [],
      units: [
        ...(v.leadUnits ?? []).map((name: string) => ({ name, role: 'lead' as const })),
        ...(v.coUnits ?? []).map((name: string) => ({ name, role: 'co' as const })),
      ],
      due: v.due?.trim() ? v.due.trim() : null,
    };
    const reason = String(v.reason).trim();
    if (!task) {
      send.confirm(
        '新增任务？',
        `在“${section.title}”中新增任务“${short(values.text)}”，责任单位：${unitsText(values.units)}（原因：${reason}）`,
        { kind: 'addTask', sectionId: section.id, values, reason },
        '已新增任务',
      );
      return;
    }
    const words = changedWords(task, values);
    if (words.length === 0) {
      form.setFields([{ name: 'text', errors: ['没有修改任何内容'] }]);
      return;
    }
    send.confirm(
      '保存对任务的修改？',
      `第 ${task.position} 项：${words.join('；')}（原因：${reason}）。已有调度轮次保持原样，自下一轮起生效。`,
      { kind: 'editTask', taskId: task.id, version: task.version, values, reason },
      '已保存修改，自下一轮起生效',
    );
  };

  return (
    <Drawer
      open
      title={task ? `修改第 ${task.position} 项任务` : `新增任务：${section.title}`}
      size="large"
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" onClick={() => void submit()} loading={send.pending}>
            保存
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item
          name="text"
          label="具体工作任务"
          rules={[
            { required: true, whitespace: true, message: '请填写任务内容' },
            { max: TaskLimits.text.max, message: `任务内容不能超过 ${TaskLimits.text.max} 字` },
          ]}
        >
          <Input.TextArea rows={4} maxLength={TaskLimits.text.max} />
        </Form.Item>
        <Form.Item name="leadDepartment" label="牵头部门">
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={options(names.data?.departments)} placeholder="无" />
        </Form.Item>
        <Form.Item name="leaders" label="牵头领导">
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={options(names.data?.leaders)} placeholder="选择领导" />
        </Form.Item>
        <Form.Item name="leadUnits" label="牵头单位" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个牵头单位' }]}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={options(names.data?.units)} placeholder="选择单位" />
        </Form.Item>
        <Form.Item name="coUnits" label="配合单位">
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={options(names.data?.units)} placeholder="选择单位" />
        </Form.Item>
        <Form.Item name="due" label="完成时限" rules={[{ max: TaskLimits.due.max, message: `完成时限不能超过 ${TaskLimits.due.max} 字` }]}>
          <Input maxLength={TaskLimits.due.max} placeholder="如：2018年6月底前；长期坚持" />
        </Form.Item>
        <ReasonField />
      </Form>
    </Drawer>
  );
}

function HeadingDialog({ dialog, onClose }: { dialog: Extract<Dialog, { kind: 'heading' }>; onClose: () => void }) {
  const [form] = Form.useForm();
  const send = useConfirmedChange(onClose);
  const word = dialog.level === 'chapter' ? '章' : '节';
  const heading = dialog.retire ? `撤销${word}` : dialog.id === null ? `新增${word}` : `修改${word}名`;
  const submit = async () => {
    const v = await form.validateFields();
    const reason = String(v.reason).trim();
    const title = dialog.retire ? dialog.title : String(v.title).trim();
    const payload: PlanChange =
      dialog.id === null
        ? dialog.level === 'chapter'
          ? { kind: 'addChapter', planId: dialog.parentId, title, reason }
          : { kind: 'addSection', chapterId: dialog.parentId, title, reason }
        : dialog.retire
          ? { kind: 'heading', level: dialog.level, id: dialog.id, retire: true, reason }
          : { kind: 'heading', level: dialog.level, id: dialog.id, title, reason };
    const summary = dialog.retire
      ? `撤销${word}“${dialog.title}”（原因：${reason}）`
      : dialog.id === null
        ? `新增${word}“${title}”（原因：${reason}）`
        : `${word}名由“${dialog.title}”改为“${title}”（原因：${reason}）`;
    send.confirm(`${heading}？`, summary, payload, `已${heading}`);
  };
  return (
    <Modal open title={heading} onCancel={onClose} onOk={() => void submit()} okText="保存" cancelText="取消" confirmLoading={send.pending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ title: dialog.title }}>
        {dialog.retire ? (
          <Typography.Paragraph>撤销“{dialog.title}”后不再出现在方案中（其中的任务须先移走或撤销）。</Typography.Paragraph>
        ) : (
          <Form.Item
            name="title"
            label={`${word}标题`}
            rules={[
              { required: true, whitespace: true, message: `请填写${word}标题` },
              { max: PlanEditLimits.chapterTitle.max, message: `标题不能超过 ${PlanEditLimits.chapterTitle.max} 字` },
            ]}
          >
            <Input maxLength={PlanEditLimits.chapterTitle.max} />
          </Form.Item>
        )}
        <ReasonField />
      </Form>
    </Modal>
  );
}

function MoveDialog({
  task,
  sections,
  onClose,
}: {
  task: EditableTaskView;
  sections: { chapter: PlanStructureView['chapters'][number]; section: Section }[];
  onClose: () => void;
}) {
  const [form] = Form.useForm();
  const send = useConfirmedChange(onClose);
  const options = sections.map(({ chapter, section }) => ({
    value: section.id,
    label: `${chapterLabel(chapter.number)}${chapter.title} › ${sectionLabel(section.number)}${section.title}`,
  }));
  const submit = async () => {
    const v = await form.validateFields();
    const reason = String(v.reason).trim();
    const target = options.find((o) => o.value === v.sectionId)!;
    send.confirm(
      '移动任务？',
      `把第 ${task.position} 项“${short(task.text)}”移至“${target.label}”（原因：${reason}）`,
      { kind: 'moveTask', taskId: task.id, version: task.version, sectionId: v.sectionId, reason },
      '已移动任务',
    );
  };
  return (
    <Modal
      open
      title={`移动第 ${task.position} 项任务`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="移动"
      cancelText="取消"
      confirmLoading={send.pending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="sectionId" label="移至" rules={[{ required: true, message: '请选择要移入的节' }]}>
          <Select options={options} showSearch={{ optionFilterProp: 'label' }} placeholder="选择节" />
        </Form.Item>
        <ReasonField />
      </Form>
    </Modal>
  );
}

function RetireDialog({ task, onClose }: { task: EditableTaskView; onClose: () => void }) {
  const [form] = Form.useForm();
  const send = useConfirmedChange(onClose);
  const submit = async () => {
    const v = await form.validateFields();
    const reason = String(v.reason).trim();
    send.confirm(
      '撤销任务？',
      `撤销第 ${task.position} 项“${short(task.text)}”（原因：${reason}），自下一轮起不再调度`,
      { kind: 'retireTask', taskId: task.id, version: task.version, reason },
      '已撤销任务',
    );
  };
  return (
    <Modal
      open
      title={`撤销第 ${task.position} 项任务`}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="撤销"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={send.pending}
      destroyOnHidden
    >
      <Typography.Paragraph>撤销后，该任务不再进入以后的调度轮次；已有轮次和任务历史中仍可查看（标为已撤销）。</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <ReasonField />
      </Form>
    </Modal>
  );
}
