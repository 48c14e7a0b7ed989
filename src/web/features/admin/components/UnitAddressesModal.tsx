import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import type { DeliveryFailureView, UnitView } from '../../../../domain/api/admin.ts';
import {
  AddressLimits,
  DELIVERY_CHANNEL_LABELS,
  emailProblem,
  WEBHOOK_KIND_LABELS,
  WEBHOOK_KINDS,
  webhookUrlProblem,
  type WebhookKind,
} from '../../../../domain/delivery-addresses.ts';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useUnitActions, type UnitAddressChange } from '../api/admin.ts';

type Values = { email?: string; kind: WebhookKind | 'none'; url?: string; secret?: string };

const kindOptions = [{ value: 'none', label: '不设置' }, ...WEBHOOK_KINDS.map((kind) => ({ value: kind, label: WEBHOOK_KIND_LABELS[kind] }))];

/** The one-line summary the confirmation shows (never the URL or the secret). */
function summaryOf(unit: UnitView, change: UnitAddressChange): string {
  const robot =
    change.webhook === null
      ? '不设群机器人'
      : `群机器人：${WEBHOOK_KIND_LABELS[change.webhook.kind]}${change.webhook.url ? '（新地址）' : ''}${change.webhook.secret ? '，更新签名密钥' : ''}`;
  return `“${unit.name}”：电子邮箱 ${change.email ?? '不设置'}；${robot}`;
}

/**
 * A unit's reminder addresses (issue 16): its e-mail and its group robot. The robot's address
 * carries its key and is never shown again — only its host; it and the signing secret are
 * write-only: left empty, the stored ones stay. Saved after a one-line confirmation; Enter in a
 * field never saves.
 */
export function UnitAddressesModal({
  unit,
  failures = [],
  onClose,
}: {
  unit: UnitView | null;
  failures?: readonly DeliveryFailureView[];
  onClose: () => void;
}) {
  // A fresh form each time the dialog opens: it starts from the unit's stored values, not the last edit's.
  return unit === null ? null : <AddressesDialog key={unit.id} unit={unit} failures={failures} onClose={onClose} />;
}

function AddressesDialog({ unit, failures, onClose }: { unit: UnitView; failures: readonly DeliveryFailureView[]; onClose: () => void }) {
  const { setAddresses } = useUnitActions();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const stored = unit.webhook;
  // Before the form has mounted (the dialog opening), the watched value is not there yet: the stored kind.
  const kind: WebhookKind | 'none' = Form.useWatch('kind', form) ?? stored?.kind ?? 'none';
  const keepsUrl = stored !== null && kind !== 'none';

  const save = async () => {
    const values = await form.validateFields();
    const change: UnitAddressChange = {
      email: values.email?.trim() || null,
      webhook:
        values.kind === 'none'
          ? null
          : {
              kind: values.kind,
              ...(values.url?.trim() ? { url: values.url.trim() } : {}),
              ...(values.secret?.trim() ? { secret: values.secret.trim() } : {}),
            },
    };
    modal.confirm({
      title: '保存提醒地址？',
      content: summaryOf(unit, change),
      okText: '保存',
      cancelText: '取消',
      onOk: () =>
        setAddresses.mutateAsync({ unitId: unit.id, ...change }).then(
          () => (message.success('提醒地址已保存'), onClose()),
          (error: unknown) => void message.error(describeError(error)),
        ),
    });
  };

  return (
    <Modal
      open
      title={`“${unit.name}”的提醒地址`}
      okText="保存"
      cancelText="取消"
      onOk={() => void save().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {failures.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title="以下地址发送失败，请核对后更正"
          description={
            <>
              {failures.map((f) => (
                <div key={f.channel}>{`${DELIVERY_CHANNEL_LABELS[f.channel]}：${f.reason}（${formatDateTime(f.failedAt)}，共 ${f.failures} 条）`}</div>
              ))}
              <div>保存更正后即不再提示；更正后的地址再发送失败时会重新提示。</div>
            </>
          }
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ email: unit.email ?? '', kind: unit.webhook?.kind ?? 'none', url: '', secret: '' }}
        // Enter in a field must not save: the form has no submit, only the confirmed 保存 does.
        onFinish={() => undefined}
      >
        <Form.Item
          label="电子邮箱"
          name="email"
          rules={[
            {
              validator: (_, value: string | undefined) =>
                value?.trim() && emailProblem(value.trim()) ? Promise.reject(new Error(emailProblem(value.trim())!)) : Promise.resolve(),
            },
          ]}
        >
          <Input maxLength={AddressLimits.email.max} placeholder="如 huanping@example.gov.cn；留空则不发邮件" />
        </Form.Item>
        <Form.Item label="群机器人" name="kind">
          <Select aria-label="群机器人类型" options={kindOptions} />
        </Form.Item>
        {kind !== 'none' && (
          <>
            <Form.Item
              label="机器人地址"
              name="url"
              extra={keepsUrl ? `已设置（${stored.host}），留空则不变；地址含密钥，保存后不再显示` : '地址含密钥，保存后只显示主机名'}
              rules={[
                {
                  validator: (_, value: string | undefined) => {
                    const url = value?.trim() ?? '';
                    if (!url) return keepsUrl ? Promise.resolve() : Promise.reject(new Error('请填写机器人地址'));
                    const problem = webhookUrlProblem(url);
                    return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input
                maxLength={AddressLimits.url.max}
                placeholder={keepsUrl ? '已设置，留空则不变' : 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'}
                autoComplete="off"
              />
            </Form.Item>
            <Form.Item
              label="签名密钥"
              name="secret"
              extra={kind === 'dingtalk' || kind === 'feishu' ? '钉钉、飞书机器人开启“加签”时填写' : '该类型一般不需要'}
            >
              <Input.Password
                maxLength={AddressLimits.secret.max}
                placeholder={stored?.hasSecret ? '已设置，留空则不变' : '未设置'}
                autoComplete="new-password"
                visibilityToggle={false}
              />
            </Form.Item>
          </>
        )}
        {setAddresses.error && <Typography.Paragraph type="danger">{describeError(setAddresses.error)}</Typography.Paragraph>}
      </Form>
    </Modal>
  );
}
