import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { PlanSummaryView } from '../../../../domain/api/plan-view.ts';
import { PlanEditLimits } from '../../../../domain/limits.ts';
import { describeError } from '../../../lib/api.ts';
import { usePlanChange } from '../api/plan-edit.ts';

type Action = 'create' | 'copy' | 'archive';

/** 新建方案, 复制为下一年度, 归档: the office's plan-level changes, each confirmed with a one-line summary. */
export function PlanActions({ plan }: { plan: PlanSummaryView | undefined }) {
  const [action, setAction] = useState<Action | null>(null);
  const archived = plan?.archivedAt != null;
  return (
    <Space wrap>
      <Button onClick={() => setAction('create')}>新建方案</Button>
      {plan && (
        <Button onClick={() => setAction('copy')} title="按现行任务复制一份新的分工方案">
          复制为下一年度
        </Button>
      )}
      {plan && !archived && (
        <Button danger onClick={() => setAction('archive')}>
          归档
        </Button>
      )}
      {action && <PlanDialog action={action} plan={plan} onClose={() => setAction(null)} />}
    </Space>
  );
}

const TITLES: Record<Action, string> = { create: '新建分工方案', copy: '复制为下一年度的分工方案', archive: '归档分工方案' };

function nextYearTitle(title: string): string {
  return title.replace(/(\d{4})(?=年)/, (year) => String(Number(year) + 1));
}

function PlanDialog({ action, plan, onClose }: { action: Action; plan: PlanSummaryView | undefined; onClose: () => void }) {
  const [form] = Form.useForm();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const change = usePlanChange();
  const submit = async () => {
    const v = await form.validateFields();
    const title = String(v.title ?? '').trim();
    const docNumber = v.docNumber?.trim() ? String(v.docNumber).trim() : null;
    const reason = String(v.reason ?? '').trim();
    const summary =
      action === 'create'
        ? `新建分工方案“${title}”${docNumber ? `（${docNumber}）` : ''}`
        : action === 'copy'
          ? `把“${plan!.title}”的现行章、节和任务（不含已撤销的）复制为“${title}”；原方案不变`
          : `归档“${plan!.title}”（原因：${reason}）：不能再发起调度，默认列表中不再显示`;
    modal.confirm({
      title: `${TITLES[action]}？`,
      content: summary,
      okText: '确定',
      cancelText: '取消',
      onOk: async () => {
        try {
          const result =
            action === 'create'
              ? await change.mutateAsync({ kind: 'createPlan', title, docNumber })
              : action === 'copy'
                ? await change.mutateAsync({ kind: 'copyPlan', planId: plan!.id, title, docNumber })
                : await change.mutateAsync({ kind: 'archivePlan', planId: plan!.id, reason });
          message.success(action === 'archive' ? '已归档' : '已创建分工方案');
          onClose();
          if (action !== 'archive') void navigate(`/plans/${result.planId}?edit=1`);
          else void navigate('/plans');
        } catch (error) {
          message.error(describeError(error));
        }
      },
    });
  };
  return (
    <Modal
      open
      title={TITLES[action]}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确定"
      cancelText="取消"
      confirmLoading={change.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={action === 'copy' && plan ? { title: nextYearTitle(plan.title) } : {}}>
        {action === 'archive' ? (
          <Form.Item
            name="reason"
            label="归档原因"
            rules={[
              { required: true, whitespace: true, message: '请填写归档原因' },
              { max: PlanEditLimits.reason.max, message: `原因不能超过 ${PlanEditLimits.reason.max} 字` },
            ]}
            extra="归档前须先结束该方案进行中的调度。"
          >
            <Input.TextArea rows={2} maxLength={PlanEditLimits.reason.max} />
          </Form.Item>
        ) : (
          <>
            <Form.Item
              name="title"
              label="方案标题"
              rules={[
                { required: true, whitespace: true, message: '请填写方案标题' },
                { max: PlanEditLimits.title.max, message: `标题不能超过 ${PlanEditLimits.title.max} 字` },
              ]}
            >
              <Input.TextArea autoSize maxLength={PlanEditLimits.title.max} />
            </Form.Item>
            <Form.Item
              name="docNumber"
              label="文号（可选）"
              rules={[{ max: PlanEditLimits.docNumber.max, message: `文号不能超过 ${PlanEditLimits.docNumber.max} 字` }]}
            >
              <Input maxLength={PlanEditLimits.docNumber.max} placeholder="如：办发〔2018〕1号" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
