import { App, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useEffect } from 'react';
import type { IndicatorDecisionInput } from '../../../../domain/api/insight-view.ts';
import type { IndicatorFinding, IndicatorTarget } from '../../../../domain/insights/types.ts';
import { InsightLimits } from '../../../../domain/limits.ts';
import { ApiError, describeError } from '../../../lib/api.ts';
import { placeLabel } from '../../../lib/findings.ts';

/** The target's fields as the form holds them: a value may be cleared while typing; the period is kept as read. */
type Fields = Omit<IndicatorTarget, 'value' | 'period'> & { name: string; value: number | null };

const FIELD_NAMES: (keyof Fields)[] = ['name', 'value', 'unit', 'direction', 'bound', 'baseYear', 'baseValue', 'byYear'];

/** The server names a bad field as `target.value`, `body.name` …: the form field it belongs to. */
export function formFieldOf(field: string): keyof Fields | null {
  const last = field.split('.').pop() ?? '';
  return (FIELD_NAMES as string[]).includes(last) ? (last as keyof Fields) : null;
}

/**
 * 修改 a proposed indicator: the target's fields as read from the task text, for the office to
 * correct and confirm. The server's validation errors show at their field; Enter never saves.
 */
export function IndicatorDialog(props: {
  finding: IndicatorFinding | null;
  saving: boolean;
  onClose: () => void;
  onSave: (input: IndicatorDecisionInput) => Promise<unknown>;
}) {
  const [form] = Form.useForm<Fields>();
  const { message } = App.useApp();
  const { finding } = props;

  useEffect(() => {
    if (!finding) return;
    const t = finding.target;
    form.resetFields();
    form.setFieldsValue({
      name: finding.name,
      value: t.value,
      unit: t.unit,
      direction: t.direction,
      bound: t.bound,
      baseYear: t.baseYear,
      baseValue: t.baseValue,
      byYear: t.byYear,
    });
  }, [finding, form]);

  const save = async () => {
    if (!finding) return;
    const v = await form.validateFields();
    const input: IndicatorDecisionInput = {
      state: 'confirmed',
      name: v.name.trim(),
      target: {
        value: v.value!,
        unit: v.unit.trim(),
        direction: v.direction,
        bound: v.bound,
        baseYear: v.baseYear ?? null,
        baseValue: v.baseValue ?? null,
        byYear: v.byYear ?? null,
        period: finding.target.period,
      },
    };
    try {
      await props.onSave(input);
    } catch (error) {
      const details = error instanceof ApiError ? (error.details as { field?: unknown; issues?: { field: string; message: string }[] }) : {};
      const issues = details.issues ?? (typeof details.field === 'string' ? [{ field: details.field, message: describeError(error) }] : []);
      const placed = issues
        .map((issue) => ({ name: formFieldOf(issue.field), errors: [issue.message] }))
        .filter((f): f is { name: keyof Fields; errors: string[] } => f.name !== null);
      // A refusal that names its field is shown there; anything else as a message.
      if (placed.length) form.setFields(placed);
      else void message.error(describeError(error));
    }
  };

  return (
    <Modal
      open={finding !== null}
      forceRender
      title={finding ? `修改指标：${placeLabel(finding.task)}` : ''}
      okText="保存并确认"
      cancelText="取消"
      okButtonProps={{ loading: props.saving }}
      onCancel={props.onClose}
      onOk={() => void save().catch(() => {})}
    >
      {finding && <Typography.Paragraph type="secondary">任务原文：“{finding.targetQuote}”。保存后按修改后的目标判断各轮进度。</Typography.Paragraph>}
      <Form form={form} layout="vertical" onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}>
        <Form.Item
          label="指标名称"
          name="name"
          rules={[
            { required: true, whitespace: true, message: '请填写指标名称' },
            { max: InsightLimits.name.max, message: `指标名称不能超过 ${InsightLimits.name.max} 个字` },
          ]}
        >
          <Input />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item label="目标值" name="value" rules={[{ required: true, message: '请填写目标值' }]} style={{ flex: '1 1 140px' }}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            label="计量单位"
            name="unit"
            rules={[{ max: InsightLimits.unit.max, message: `计量单位不能超过 ${InsightLimits.unit.max} 个字` }]}
            style={{ flex: '1 1 100px' }}
          >
            <Input placeholder="%、个、万吨" />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item label="方向" name="direction" rules={[{ required: true }]} style={{ flex: '1 1 140px' }}>
            <Select
              options={[
                { value: 'up', label: '提高（越大越好）' },
                { value: 'down', label: '下降（越小越好）' },
              ]}
            />
          </Form.Item>
          <Form.Item label="界限" name="bound" rules={[{ required: true }]} style={{ flex: '1 1 140px' }}>
            <Select
              options={[
                { value: 'at_least', label: '以上' },
                { value: 'at_most', label: '以下' },
                { value: 'exactly', label: '恰为' },
              ]}
            />
          </Form.Item>
        </div>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item label="基准年" name="baseYear" tooltip="目标为“比某年提高/下降”时填写" style={{ flex: '1 1 100px' }}>
            <InputNumber style={{ width: '100%' }} precision={0} />
          </Form.Item>
          <Form.Item label="基准值" name="baseValue" style={{ flex: '1 1 100px' }}>
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="目标年" name="byYear" style={{ flex: '1 1 100px' }}>
            <InputNumber style={{ width: '100%' }} precision={0} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
