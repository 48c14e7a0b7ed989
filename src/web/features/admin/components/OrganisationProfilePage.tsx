import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { LEADER_WORDS, ProfileLimits, type OrganisationProfile } from '../../../../domain/organisation-profile.ts';
import { NativeSelect } from '../../../components/NativeSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useOrganisationProfile, useSetOrganisationProfile } from '../api/admin.ts';

type Values = { fullName: string; officeName: string; issuerMark: string; docPrefixes: string; leaderWord: string; unitWords: string; timeZone: string };

const SOURCES: Record<string, string> = { admin: '系统管理员在本页', cli: '运维人员在命令行', import: '导入通报时按通报', demo: '演示数据' };

const words = (text: string): string[] =>
  text
    .split(/[,，、\s]+/)
    .map((word) => word.trim())
    .filter((word) => word !== '');

function toValues(profile: OrganisationProfile | null): Partial<Values> {
  if (!profile) return { leaderWord: '领导', unitWords: '处、室' };
  return { ...profile, docPrefixes: profile.docPrefixes.join('、'), unitWords: profile.unitWords.join('、'), timeZone: profile.timeZone ?? '' };
}

/**
 * 单位信息 (system admin, decision 027): the organisation a new round's notice is written for —
 * its heading, 落款, 机关代字 and the words it uses. Saved after a one-line confirmation; audited.
 */
export function OrganisationProfilePage() {
  const query = useOrganisationProfile();
  const save = useSetOrganisationProfile();
  const [form] = Form.useForm<Values>();
  const { message, modal } = App.useApp();

  async function confirmAndSave() {
    const values = await form.validateFields();
    const profile = {
      fullName: values.fullName,
      officeName: values.officeName,
      issuerMark: values.issuerMark,
      docPrefixes: words(values.docPrefixes ?? ''),
      leaderWord: values.leaderWord,
      unitWords: words(values.unitWords ?? ''),
      timeZone: values.timeZone?.trim() ? values.timeZone.trim() : null,
    };
    modal.confirm({
      title: '保存单位信息？',
      content: `之后新发起调度的通报将以“${profile.officeName}”的名义起草。`,
      okText: '保存',
      cancelText: '取消',
      onOk: () => save.mutateAsync(profile).then(() => void message.success('单位信息已保存')),
    });
  }

  return (
    <div style={{ maxWidth: 640 }}>
      <PageTitle title="单位信息" subtitle="新发起调度的通报按此起草：发文机关标志、落款、机关代字" />
      <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {() => {
          const view = query.data!;
          return (
            <Card>
              {view.profile ? (
                <Typography.Paragraph type="secondary">
                  由{SOURCES[view.source ?? ''] ?? view.source}设置（{view.updatedBy}，{formatDateTime(view.updatedAt)}）。
                </Typography.Paragraph>
              ) : (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title="尚未设置单位信息：新调度的通报不带发文机关和落款，需办公室逐次填写。导入的第一份通报也会用来设置。"
                />
              )}
              {save.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeError(save.error)} />}
              <Form<Values> form={form} layout="vertical" initialValues={toValues(view.profile)}>
                <Form.Item label="单位全称" name="fullName" rules={[{ required: true, whitespace: true, message: '请填写单位全称' }]}>
                  <Input maxLength={ProfileLimits.fullName.max} placeholder="如：某某市生态环境局" />
                </Form.Item>
                <Form.Item
                  label="办公室名称（通报的落款和印发机关）"
                  name="officeName"
                  rules={[{ required: true, whitespace: true, message: '请填写办公室名称' }]}
                >
                  <Input maxLength={ProfileLimits.officeName.max} placeholder="如：某某市生态环境局办公室" />
                </Form.Item>
                <Form.Item label="发文机关标志" name="issuerMark" rules={[{ required: true, whitespace: true, message: '请填写发文机关标志' }]}>
                  <Input maxLength={ProfileLimits.issuerMark.max} placeholder="通报首页的机关名称，常与办公室名称相同" />
                </Form.Item>
                <Form.Item label="机关代字（多个以顿号分隔，常用的在前）" name="docPrefixes">
                  <Input placeholder="如：某环办、某环办函" />
                </Form.Item>
                <Form.Item label="领导称谓" name="leaderWord" htmlFor="profile-leader-word" rules={[{ required: true, message: '请选择领导称谓' }]}>
                  <LeaderWordSelect />
                </Form.Item>
                <Form.Item
                  label="处室称谓（多个以顿号分隔，常用的在前）"
                  name="unitWords"
                  rules={[{ required: true, whitespace: true, message: '请至少填写一个处室称谓' }]}
                >
                  <Input placeholder="如：处、室 或 科、室" />
                </Form.Item>
                <Form.Item label="时区（留空则使用服务器配置）" name="timeZone" extra={`当前生效：${view.timeZone}`}>
                  <Input placeholder="如：Asia/Shanghai" maxLength={64} />
                </Form.Item>
                <Button type="primary" onClick={() => void confirmAndSave().catch(() => undefined)} loading={save.isPending}>
                  保存
                </Button>
              </Form>
            </Card>
          );
        }}
      </QueryState>
    </div>
  );
}

/** The leader word picker, as a form control (antd's Form.Item passes value and onChange). */
function LeaderWordSelect({ value, onChange }: { value?: string; onChange?: (value: string | null) => void }) {
  return (
    <NativeSelect<string>
      id="profile-leader-word"
      value={value ?? null}
      onChange={(next) => onChange?.(next)}
      options={LEADER_WORDS.map((word) => ({ value: word, label: word }))}
      style={{ width: 160 }}
    />
  );
}
