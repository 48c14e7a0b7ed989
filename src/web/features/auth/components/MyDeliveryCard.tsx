import { Alert, App, Button, Card, Form, Input, Switch, Typography } from 'antd';
import { AddressLimits, emailProblem } from '../../../../domain/delivery-addresses.ts';
import type { PersonalDeliveryView } from '../../../../domain/api/admin.ts';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { useMyDelivery, useSetMyDelivery } from '../api/account.ts';

type Values = { email?: string; emailEnabled: boolean };

/**
 * 提醒方式 (issue 16):站内提醒 always; 邮件提醒 to the person's own address when they turn it on.
 * Saved after a one-line confirmation; Enter in the field never saves (the form has no submit).
 */
export function MyDeliveryCard() {
  const delivery = useMyDelivery();
  const save = useSetMyDelivery();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();

  const confirm = async () => {
    const values = await form.validateFields();
    const view: PersonalDeliveryView = { email: values.email?.trim() || null, emailEnabled: values.emailEnabled };
    modal.confirm({
      title: '保存提醒方式？',
      content: view.emailEnabled ? `站内提醒，并发送邮件到 ${view.email}` : `只用站内提醒${view.email ? `（邮箱 ${view.email} 保留，不发邮件）` : ''}`,
      okText: '保存',
      cancelText: '取消',
      onOk: () =>
        save.mutateAsync(view).then(
          () => void message.success('提醒方式已保存'),
          (error: unknown) => void message.error(describeError(error)),
        ),
    });
  };

  return (
    <Card title="提醒方式" style={{ marginTop: 16 }}>
      <QueryState isPending={delivery.isPending} error={delivery.error} retry={() => void delivery.refetch()}>
        {() => (
          <Form<Values>
            form={form}
            layout="vertical"
            requiredMark={false}
            initialValues={{ email: delivery.data?.email ?? '', emailEnabled: delivery.data?.emailEnabled ?? false }}
            onFinish={() => undefined}
          >
            <Typography.Paragraph type="secondary">站内提醒始终开启；开启邮件提醒后，轮次开启、临近截止、催办等提醒也会发到您的邮箱。</Typography.Paragraph>
            {save.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeError(save.error)} />}
            <Form.Item
              label="电子邮箱"
              name="email"
              dependencies={['emailEnabled']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_, value: string | undefined) => {
                    const email = value?.trim() ?? '';
                    if (!email) return getFieldValue('emailEnabled') ? Promise.reject(new Error('开启邮件提醒须先填写电子邮箱')) : undefined;
                    const problem = emailProblem(email);
                    return problem ? Promise.reject(new Error(problem)) : undefined;
                  },
                }),
              ]}
            >
              <Input maxLength={AddressLimits.email.max} autoComplete="email" placeholder="如 zhangmin@example.gov.cn" />
            </Form.Item>
            <Form.Item label="邮件提醒" name="emailEnabled" valuePropName="checked">
              <Switch aria-label="邮件提醒" checkedChildren="开" unCheckedChildren="关" />
            </Form.Item>
            <Button type="primary" loading={save.isPending} onClick={() => void confirm().catch(() => undefined)}>
              保存提醒方式
            </Button>
          </Form>
        )}
      </QueryState>
    </Card>
  );
}
