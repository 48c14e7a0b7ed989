import { BulbOutlined, DeleteOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Space, Typography, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { NoticeConflictDetails, NoticeView } from '../../../../domain/api/notice-view.ts';
import { NoticeLimits } from '../../../../domain/limits.ts';
import { expandPlaceholders, NOTICE_PLACEHOLDERS, parseDocNumber, type NoticeFields, type PlaceholderValues } from '../../../../domain/notice.ts';
import type { Notice } from '../../../../domain/plan-document.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { TYPED_DATE_FORMS, TypedDateInput, typedDateRules, typedDateValue } from '../../../components/TypedDateInput.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { ApiError, describeError } from '../../../lib/api.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { can, useCurrentUser } from '../../../lib/session.ts';
import { fetchSuggestedNumber, useNotice, useSaveNotice } from '../api/notice.ts';
import { DifferenceTable, NoticeConflictDialog, noticeDifferences } from './NoticeConflictDialog.tsx';
import { NoticeDocument } from './NoticeDocument.tsx';
import { StatisticsParagraph } from './StatisticsParagraph.tsx';
import { NoticeSignoffPanel } from './NoticeSignoffPanel.tsx';
import { docNumberOf, formNameOf, type FormValues, type NamePath } from './notice-form-fields.ts';
import './notice-form.css';

/** A stored `YYYY-MM-DD` as its field shows it (2017年10月16日), or an empty field. */
const shownDate = (value: string | null): string => (value ? formatDate(value) : '');

function toValues(notice: Notice, defaultPrefix: string): FormValues {
  const parts = notice.docNumber ? parseDocNumber(notice.docNumber) : null;
  return {
    issuingOffice: notice.issuingOffice ?? '',
    // A number in another form (from an import) stays whole in the prefix box, for the office to fix;
    // a notice without a number starts with the prefix of its series.
    docPrefix: parts?.prefix ?? notice.docNumber ?? defaultPrefix,
    docYear: parts?.year ?? null,
    docNo: parts?.number ?? null,
    title: notice.title ?? '',
    recipients: notice.recipients ?? '',
    body: notice.body.length > 0 ? notice.body : [''],
    attachment: notice.attachment ?? '',
    issuer: notice.issuer ?? '',
    date: shownDate(notice.date),
    contactUnit: notice.contact.unit ?? '',
    contactName: notice.contact.name ?? '',
    contactPhone: notice.contact.phone ?? '',
    cc: notice.cc,
    printedBy: notice.printed.by ?? '',
    printedDate: shownDate(notice.printed.date),
  };
}

const orNull = (text: string | undefined) => (text && text.trim() !== '' ? text : null);

/** What is sent: the server trims, checks and expands; the form only assembles. */
function toFields(values: FormValues): NoticeFields {
  return {
    issuingOffice: orNull(values.issuingOffice),
    docNumber: docNumberOf(values),
    title: orNull(values.title),
    recipients: orNull(values.recipients),
    body: (values.body ?? []).map((paragraph) => paragraph ?? ''),
    attachment: orNull(values.attachment),
    issuer: orNull(values.issuer),
    date: typedDateValue(values.date),
    contact: { unit: orNull(values.contactUnit), name: orNull(values.contactName), phone: orNull(values.contactPhone) },
    cc: (values.cc ?? []).map((line) => line ?? ''),
    printed: { by: orNull(values.printedBy), date: typedDateValue(values.printedDate) },
  };
}

/** The preview: trimmed like the server trims, placeholders shown as they will be saved. */
function previewOf(fields: NoticeFields, placeholders: PlaceholderValues): Notice {
  const show = (text: string | null) => (text === null ? null : expandPlaceholders(text.trim(), placeholders).text || null);
  const lines = (list: string[]) =>
    list
      .flatMap((item) => item.split(/\r?\n/))
      .map((item) => show(item))
      .filter((item): item is string => item !== null);
  return {
    issuingOffice: show(fields.issuingOffice),
    docNumber: fields.docNumber,
    title: show(fields.title),
    recipients: show(fields.recipients),
    body: lines(fields.body),
    attachment: show(fields.attachment),
    issuer: show(fields.issuer),
    date: fields.date,
    contact: { unit: show(fields.contact.unit), name: show(fields.contact.name), phone: show(fields.contact.phone) },
    cc: lines(fields.cc),
    printed: { by: show(fields.printed.by), date: fields.printed.date },
  };
}

/** Puts each field a server error names next to that field; false when it names none on the form. */
function showFieldErrors(form: FormInstance<FormValues>, error: ApiError): boolean {
  const details = error.details as { field?: string; issues?: { field: string }[]; limits?: { field: string; max: number | null }[] };
  const limits = new Map((details.limits ?? []).map((limit) => [limit.field, limit.max]));
  const named = details.issues?.map((issue) => issue.field) ?? (details.field ? [details.field] : []);
  const fields = named
    .map((field) => {
      const name = formNameOf(field);
      if (name === null) return null;
      const max = limits.get(field);
      const text = error.code === 'field_too_long' ? `超过长度上限${typeof max === 'number' ? `（最多 ${max} 字）` : ''}，请删减` : describeError(error);
      return { name, errors: [text] };
    })
    .filter((field): field is { name: NamePath; errors: string[] } => field !== null);
  if (fields.length === 0) return false;
  form.setFields(fields);
  form.scrollToField(fields[0]!.name);
  return true;
}

/** 编辑通报: the round's notice in the document's order, with a live preview beside it. */
export function NoticeFormPage() {
  const roundId = Number(useParams().roundId);
  const query = useNotice(roundId);
  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => <NoticeForm key={`${roundId}`} roundId={roundId} view={query.data!} />}
    </QueryState>
  );
}

function NoticeForm({ roundId, view }: { roundId: number; view: NoticeView }) {
  const { message } = App.useApp();
  const user = useCurrentUser();
  const editable = can.manageRounds(user.role);
  const [form] = Form.useForm<FormValues>();
  const save = useSaveNotice(roundId);
  // The version this form's text is based on: changes only by a save, or by the user's choice in the conflict dialog.
  const [baseVersion, setBaseVersion] = useState(view.version);
  // Who saved the version the form shows, and when (the heading's line).
  const [shown, setShown] = useState<Pick<NoticeView, 'stored' | 'version' | 'updatedBy' | 'updatedAt'>>(view);
  const [conflict, setConflict] = useState<{ current: NoticeView; mine: Notice } | null>(null);
  const [unsaved, setUnsaved] = useState<{ theirs: Notice; mine: Notice; version: number } | null>(null);
  const [notes, setNotes] = useState<{ version: number; notes: string[] } | null>(null);
  const [suggesting, setSuggesting] = useState(false);
  const values = Form.useWatch([], form) as FormValues | undefined;
  const placeholders = view.placeholders as PlaceholderValues;
  const preview = previewOf(toFields(values ?? toValues(view.notice, view.suggestedDocNumber.prefix)), placeholders);

  const suggest = async () => {
    const current = form.getFieldsValue();
    const dated = typedDateValue(current.date);
    const year = current.docYear ?? (dated ? Number(dated.slice(0, 4)) : null) ?? view.suggestedDocNumber.year;
    const prefix = current.docPrefix?.trim() || view.suggestedDocNumber.prefix;
    setSuggesting(true);
    try {
      const suggestion = await fetchSuggestedNumber(roundId, year, prefix);
      form.setFieldsValue({ docPrefix: suggestion.prefix, docYear: suggestion.year, docNo: suggestion.number });
      form.setFields([{ name: 'docNo', errors: [] }]);
    } catch (error) {
      void message.error(`无法取得建议文号：${describeError(error)}`);
    } finally {
      setSuggesting(false);
    }
  };

  const onFinish = (formValues: FormValues) => {
    const fields = toFields(formValues);
    save.mutate(
      { notice: fields, version: baseVersion },
      {
        onSuccess: (saved) => {
          setBaseVersion(saved.version);
          setShown(saved);
          form.setFieldsValue(toValues(saved.notice, saved.suggestedDocNumber.prefix));
          setNotes({ version: saved.version, notes: saved.notes });
          void message.success(`通报已保存（第 ${saved.version} 版）`);
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'version_conflict') {
            const details = error.details as unknown as NoticeConflictDetails;
            setConflict({ current: details.current, mine: previewOf(fields, placeholders) });
            return;
          }
          if (error instanceof ApiError && showFieldErrors(form, error)) return;
          void message.error(`保存失败：${describeError(error)}`);
        },
      },
    );
  };

  const loadTheirs = () => {
    if (!conflict) return;
    setUnsaved({ theirs: conflict.current.notice, mine: conflict.mine, version: conflict.current.version });
    form.setFieldsValue(toValues(conflict.current.notice, conflict.current.suggestedDocNumber.prefix));
    setBaseVersion(conflict.current.version);
    setShown(conflict.current);
    setConflict(null);
  };

  const keepMine = () => {
    if (!conflict) return;
    setBaseVersion(conflict.current.version);
    void message.info(`已保留您的修改。再次点击“保存”将替换对方保存的第 ${conflict.current.version} 版。`);
    setConflict(null);
  };

  const placeholderHelp = (
    <span>
      可用占位符：
      {Object.entries(NOTICE_PLACEHOLDERS).map(([token, meaning], i) => (
        <span key={token}>
          {i > 0 && '；'}
          <Typography.Text code>{token}</Typography.Text>
          {meaning}（本轮：{placeholders[token as keyof PlaceholderValues] ?? '无'}）
        </span>
      ))}
      。保存时替换为实际内容，预览中已替换显示。
    </span>
  );

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/rounds">调度轮次</Link> }, { title: <Link to={`/rounds/${roundId}`}>{view.roundLabel}</Link> }, { title: '编辑通报' }]}
      />
      <PageTitle
        title={`${view.roundLabel}通报`}
        subtitle={
          shown.stored
            ? `第 ${shown.version} 版${shown.updatedBy ? `，${shown.updatedBy} 保存于 ${formatDateTime(shown.updatedAt)}` : '（随导入的文件而来）'}`
            : '尚未保存：以下为默认文字'
        }
        extra={
          <LinkButton icon={<EyeOutlined />} to={`/rounds/${roundId}/notice/print`}>
            通报与调度表
          </LinkButton>
        }
      />
      {!editable && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="只有办公室可以编辑通报，您可以查看。" />}
      {view.profileMissing && !view.stored && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title="尚未设置本单位信息，通报的发文机关标志、落款和机关代字需逐项填写。请系统管理员在“单位信息”页设置，之后新发起的调度将自动带出。"
        />
      )}
      {notes && notes.notes.length > 0 && (
        <Alert
          type="info"
          showIcon
          closable={{ onClose: () => setNotes(null) }}
          style={{ marginBottom: 12 }}
          title={`已保存第 ${notes.version} 版，服务器对内容做了以下整理：`}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {notes.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          }
        />
      )}
      {unsaved && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setUnsaved(null) }}
          style={{ marginBottom: 12 }}
          title={`已载入对方保存的第 ${unsaved.version} 版。您当时未保存的修改如下，可复制后重新填入：`}
          description={
            <DifferenceTable differences={noticeDifferences(unsaved.theirs, unsaved.mine)} theirsTitle="对方保存的（已载入）" mineTitle="您未保存的修改" />
          }
        />
      )}
      <NoticeSignoffPanel roundId={roundId} />
      <Row gutter={[16, 16]} align="top">
        <Col xs={24} xl={11}>
          <Card>
            {/* Not a <form>: Enter in a field must never save a version (it would save what is
                half typed, a date not yet left); only the 保存 button saves. */}
            <Form<FormValues>
              form={form}
              component="div"
              layout="vertical"
              disabled={!editable}
              initialValues={toValues(view.notice, view.suggestedDocNumber.prefix)}
              onFinish={onFinish}
              scrollToFirstError
            >
              <Form.Item label="发文机关" name="issuingOffice" extra="版头显示为“发文机关 + 文件”">
                <Input maxLength={NoticeLimits.issuingOffice.max} placeholder="如：某某市生态环境局办公室" />
              </Form.Item>
              <Form.Item label="文号" required={false} extra="“建议文号”按所填年份（未填则按成文日期或调度期间）取该年已用最大序号加一；序号不加前导零">
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="docPrefix" noStyle>
                    <Input aria-label="机关代字" placeholder="机关代字，如 某环办发" maxLength={NoticeLimits.docPrefix.max} style={{ width: '38%' }} />
                  </Form.Item>
                  <Input aria-hidden tabIndex={-1} value="〔" readOnly className="notice-doc-bracket" />
                  <Form.Item name="docYear" noStyle>
                    <InputNumber<number> aria-label="年份" placeholder="年份" min={2000} max={2100} precision={0} controls={false} style={{ width: '18%' }} />
                  </Form.Item>
                  <Input aria-hidden tabIndex={-1} value="〕" readOnly className="notice-doc-bracket" />
                  <Form.Item name="docNo" noStyle>
                    <InputNumber<number> aria-label="序号" placeholder="序号" min={1} precision={0} controls={false} style={{ width: '16%' }} />
                  </Form.Item>
                  <Input aria-hidden tabIndex={-1} value="号" readOnly className="notice-doc-bracket" />
                  <Button icon={<BulbOutlined />} loading={suggesting} onClick={() => void suggest()}>
                    建议文号
                  </Button>
                </Space.Compact>
              </Form.Item>
              <Form.Item label="标题" name="title">
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={NoticeLimits.title.max} showCount />
              </Form.Item>
              <Form.Item label="主送机关" name="recipients">
                <Input maxLength={NoticeLimits.recipients.max} placeholder="如：厅机关各处（室）、直属单位：" />
              </Form.Item>
              <Form.Item label="正文" extra={placeholderHelp}>
                <TextListField
                  name="body"
                  itemLabel={(n) => `正文第${n}段`}
                  removeLabel={(n) => `删除第${n}段`}
                  addLabel="添加段落"
                  maxItems={NoticeLimits.body.paragraphs}
                  keepOne
                  editable={editable}
                  renderInput={(label) => <Input.TextArea aria-label={label} autoSize={{ minRows: 3, maxRows: 12 }} maxLength={NoticeLimits.body.max} />}
                />
              </Form.Item>
              <StatisticsParagraph
                roundId={roundId}
                body={(values?.body ?? view.notice.body).map((paragraph) => paragraph ?? '')}
                currentBody={() => ((form.getFieldValue('body') as (string | undefined)[] | undefined) ?? view.notice.body).map((paragraph) => paragraph ?? '')}
                setBody={(body) => form.setFieldsValue({ body })}
                editable={editable}
                savedWarnings={view.statisticsWarnings}
              />
              <Form.Item label="附件" name="attachment" extra="版式自动在前面加“附件：”">
                <Input.TextArea
                  autoSize={{ minRows: 1, maxRows: 3 }}
                  maxLength={NoticeLimits.attachment.max}
                  placeholder="如：《……》2017年第二季度工作推进情况调度表"
                />
              </Form.Item>
              <NameAndDateRow nameField="issuer" nameLabel="落款（发文机关署名）" nameMax={NoticeLimits.issuer.max} dateField="date" dateLabel="成文日期" />
              <Typography.Text strong>联系人</Typography.Text>
              <Row gutter={12} style={{ marginTop: 8 }}>
                <Col xs={24} md={10}>
                  <Form.Item label="单位" name="contactUnit">
                    <Input maxLength={NoticeLimits.contactUnit.max} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item label="姓名" name="contactName">
                    <Input maxLength={NoticeLimits.contactName.max} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={8}>
                  <Form.Item label="电话" name="contactPhone">
                    <Input maxLength={NoticeLimits.contactPhone.max} placeholder="如：028-80589030" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label="抄送">
                <TextListField
                  name="cc"
                  itemLabel={(n) => `抄送第${n}项`}
                  removeLabel={(n) => `删除抄送第${n}项`}
                  addLabel="添加抄送单位"
                  maxItems={NoticeLimits.cc.count}
                  editable={editable}
                  renderInput={(label) => <Input aria-label={label} maxLength={NoticeLimits.cc.max} placeholder="如：省委深改办" />}
                />
              </Form.Item>
              <NameAndDateRow nameField="printedBy" nameLabel="印发机关" nameMax={NoticeLimits.printedBy.max} dateField="printedDate" dateLabel="印发日期" />
              {editable && (
                <Flex gap={8} align="center" wrap>
                  <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
                    保存
                  </Button>
                  <Typography.Text type="secondary">{baseVersion === 0 ? '首次保存后生成第 1 版' : `基于第 ${baseVersion} 版修改`}</Typography.Text>
                </Flex>
              )}
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <div className="notice-preview" aria-label="预览">
            <Typography.Text type="secondary">预览（按公文版式）</Typography.Text>
            <NoticeDocument notice={preview} />
          </div>
        </Col>
      </Row>
      {conflict && <NoticeConflictDialog current={conflict.current} mine={conflict.mine} onLoadTheirs={loadTheirs} onKeepMine={keepMine} />}
    </>
  );
}

/**
 * A signature-like pair: an office's name and a date shown as 2017年7月31日 (落款 and 成文日期,
 * 印发机关 and 印发日期). The date is typed; an impossible one is refused on the field, never dropped.
 */
function NameAndDateRow(props: { nameField: keyof FormValues; nameLabel: string; nameMax: number; dateField: keyof FormValues; dateLabel: string }) {
  return (
    <Row gutter={12}>
      <Col xs={24} md={14}>
        <Form.Item label={props.nameLabel} name={props.nameField}>
          <Input maxLength={props.nameMax} />
        </Form.Item>
      </Col>
      <Col xs={24} md={10}>
        <Form.Item
          label={props.dateLabel}
          name={props.dateField}
          rules={typedDateRules(props.dateLabel)}
          validateTrigger="onBlur"
          extra={`可填 ${TYPED_DATE_FORMS}`}
        >
          <TypedDateInput writeOut placeholder="如 2017年10月16日" />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** A list of texts with a delete button each and an add button (正文 paragraphs, 抄送 units). */
function TextListField(props: {
  name: 'body' | 'cc';
  itemLabel: (n: number) => string;
  removeLabel: (n: number) => string;
  addLabel: string;
  maxItems: number;
  /** The body keeps at least one paragraph. */
  keepOne?: boolean;
  editable: boolean;
  renderInput: (label: string) => ReactNode;
}) {
  return (
    <Form.List name={props.name}>
      {(items, { add, remove }) => (
        <Flex vertical gap={8}>
          {items.map((item, index) => (
            <Flex key={item.key} gap={8} align="flex-start">
              <Form.Item name={item.name} style={{ flex: 1, marginBottom: 0 }}>
                {props.renderInput(props.itemLabel(index + 1))}
              </Form.Item>
              <Button
                aria-label={props.removeLabel(index + 1)}
                icon={<DeleteOutlined />}
                disabled={!props.editable || (props.keepOne === true && items.length <= 1)}
                onClick={() => remove(item.name)}
              />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} disabled={!props.editable || items.length >= props.maxItems} onClick={() => add('')}>
            {props.addLabel}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
