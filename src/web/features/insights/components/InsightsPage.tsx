import { App, Breadcrumb, Card, Empty, Flex, Input, Modal, Pagination, Select, Switch, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ExplanationView, FindingView, RoundInsightsView } from '../../../../domain/api/insight-view.ts';
import type { FindingKind, IndicatorFinding } from '../../../../domain/insights/types.ts';
import { ExplanationLimits } from '../../../../domain/limits.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import {
  explanationMessage,
  FINDING_COUNT_LABELS,
  FINDING_KIND_LABELS,
  FINDING_KINDS,
  findingSummary,
  figure,
  needsAttention,
  placeLabel,
} from '../../../lib/findings.ts';
import { chapterLabel, formatDateTime } from '../../../lib/format.ts';
import { useRoundInsights } from '../../../lib/queries.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useAskExplanation, useDecideActual, useDecideIndicator, useRoundExplanations } from '../api/insights.ts';
import { FindingItem } from './FindingItem.tsx';
import { IndicatorDialog } from './IndicatorDialog.tsx';

const PAGE_SIZE = 20;
const EXPLANATION_MAX = ExplanationLimits.message.max;

type IndicatorView = IndicatorFinding & FindingView;

/** The counts on top, one per kind; a click filters the list to that kind. */
function Counts({ view, kind, onKind }: { view: RoundInsightsView; kind: FindingKind | null; onKind: (kind: FindingKind | null) => void }) {
  const pending = view.findings.filter((f) => f.kind === 'indicator' && f.status === 'proposed').length;
  const hint: Partial<Record<FindingKind, string>> = {
    arithmetic: `核对 ${view.arithmetic.checked} 处，一致 ${view.arithmetic.confirmed} 处`,
    indicator: pending ? `${pending} 项待确认` : '均已确认',
  };
  return (
    <Flex gap={8} wrap style={{ marginBottom: 16 }} role="group" aria-label="各类发现数量">
      {FINDING_KINDS.map((k) => {
        const count = view.counts[k];
        const red = k !== 'duplicate' && k !== 'indicator' && count > 0;
        return (
          <Card
            key={k}
            size="small"
            hoverable
            role="button"
            tabIndex={0}
            aria-pressed={kind === k}
            onClick={() => onKind(kind === k ? null : k)}
            onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), onKind(kind === k ? null : k))}
            style={{ flex: '1 1 150px', minWidth: 140, borderColor: kind === k ? '#1677ff' : undefined }}
          >
            <Typography.Text type="secondary">{FINDING_COUNT_LABELS[k]} </Typography.Text>
            <div style={{ fontSize: 24, fontWeight: 600, color: red ? '#cf1322' : undefined }}>{count} </div>
            {hint[k] && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {hint[k]}
              </Typography.Text>
            )}
          </Card>
        );
      })}
    </Flex>
  );
}

/** 请说明 already sent and the units' replies, newest first. */
function Explanations({ explanations }: { explanations: ExplanationView[] }) {
  if (explanations.length === 0) return null;
  return (
    <Card size="small" title={`请说明（${explanations.length}）`} style={{ marginBottom: 16 }} role="region" aria-label="请说明">
      {explanations.map((e) => (
        <div key={e.id} style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }}>
          <Flex gap={8} wrap align="center">
            <Typography.Text strong>{placeLabel(e.task)}</Typography.Text>
            <span>{e.unitName}</span>
            <Tag>{FINDING_KIND_LABELS[e.kind]}</Tag>
            {e.reply ? <Tag color="success">已答复</Tag> : <Tag color="warning">待答复</Tag>}
            <Typography.Text type="secondary">
              {e.requestedBy} {formatDateTime(e.requestedAt)}
            </Typography.Text>
          </Flex>
          <div className="prose">{e.message}</div>
          {e.reply && (
            <div style={{ background: '#f6ffed', borderRadius: 6, padding: 8, marginTop: 4 }}>
              <Typography.Text type="secondary">
                {e.unitName}答复（{e.repliedBy}，{formatDateTime(e.repliedAt)}）：
              </Typography.Text>
              <div className="prose">{e.reply}</div>
            </div>
          )}
        </div>
      ))}
    </Card>
  );
}

/**
 * 数据洞察 of a round (issue 15): what the units' prose hides — figures that do not add up,
 * indicators against their path, stale and hollow answers, silent co-units. The office confirms
 * or corrects the indicators read from the task text and asks a unit to explain a red finding.
 */
export function InsightsPage() {
  const roundId = Number(useParams().roundId);
  const query = useRoundInsights(roundId);
  const user = useCurrentUser();
  const office = user.role === 'office';
  const { message, modal } = App.useApp();
  const decideIndicator = useDecideIndicator(roundId);
  const decideActual = useDecideActual(roundId);
  const ask = useAskExplanation(roundId);
  // Answered ones too: the insights view carries only the open requests.
  const explanations = useRoundExplanations(roundId);

  // ?unit=法规处&kind=stale: where a badge on the review screens sends the office.
  const [search] = useSearchParams();
  const [kind, setKind] = useState<FindingKind | null>(() => FINDING_KINDS.find((k) => k === search.get('kind')) ?? null);
  const [unit, setUnit] = useState<string | null>(() => search.get('unit') || null);
  const [chapter, setChapter] = useState<number | null>(null);
  const [leader, setLeader] = useState<string | null>(null);
  const [attentionOnly, setAttentionOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [correcting, setCorrecting] = useState<IndicatorView | null>(null);
  const [asking, setAsking] = useState<{ finding: FindingView; message: string } | null>(null);

  const view = query.data;
  const options = useMemo(() => {
    const findings = view?.findings ?? [];
    const chapters = new Map<number, string>();
    for (const f of findings) chapters.set(f.task.chapter, f.chapterTitle);
    return {
      units: [...new Set(findings.map((f) => f.unit).filter((u): u is string => u !== null))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
      chapters: [...chapters].sort((a, b) => a[0] - b[0]),
      leaders: [...new Set(findings.flatMap((f) => f.leaders))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    };
  }, [view]);

  const filter =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };

  const onIndicator = (finding: IndicatorView, action: 'confirm' | 'correct' | 'reject' | 'confirm-actual' | 'reject-actual') => {
    const place = placeLabel(finding.task);
    if (action === 'correct') return setCorrecting(finding);
    const fail = (error: unknown) => void message.error(describeError(error));
    if (action === 'confirm' || action === 'reject')
      return modal.confirm({
        autoFocusButton: 'cancel',
        title: action === 'confirm' ? `确认指标“${finding.name}”？` : `“${finding.name}”不是指标？`,
        content: action === 'confirm' ? `${place}：${findingSummary(finding)}。确认后计入各轮进度判断。` : `${place}的这一目标将不再作为指标判断进度。`,
        okText: action === 'confirm' ? '确认指标' : '不是指标',
        okButtonProps: action === 'reject' ? { danger: true } : undefined,
        cancelText: '取消',
        onOk: () =>
          decideIndicator
            .mutateAsync({ taskId: finding.taskId, key: finding.key, input: { state: action === 'confirm' ? 'confirmed' : 'rejected' } })
            .then(() => void message.success(action === 'confirm' ? `已确认指标“${finding.name}”` : `已将“${finding.name}”标为不是指标`), fail),
      });
    const actual = finding.actual!;
    modal.confirm({
      autoFocusButton: 'cancel',
      title:
        action === 'confirm-actual'
          ? `确认${finding.unit ?? ''}报告的实际值 ${figure(actual.value)}${actual.unit}？`
          : `“${actual.quote}”不是“${finding.name}”的实际值？`,
      content:
        action === 'confirm-actual'
          ? `${place}“${finding.name}”本轮实际值按 ${figure(actual.value)}${actual.unit} 判断进度。`
          : '该数字将不再作为本轮实际值，该指标记为未报告。',
      okText: action === 'confirm-actual' ? '确认实际值' : '不是实际值',
      okButtonProps: action === 'reject-actual' ? { danger: true } : undefined,
      cancelText: '取消',
      onOk: () =>
        decideActual
          .mutateAsync({
            taskId: finding.taskId,
            key: finding.key,
            input: {
              unitId: finding.unitId,
              state: action === 'confirm-actual' ? 'confirmed' : 'rejected',
              actual: action === 'confirm-actual' ? actual : null,
            },
          })
          .then(() => void message.success(action === 'confirm-actual' ? '已确认实际值' : '已标为不是实际值'), fail),
    });
  };

  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const v = view!;
        const visible = v.findings.filter(
          (f) =>
            (kind === null || f.kind === kind) &&
            (unit === null || f.unit === unit) &&
            (chapter === null || f.task.chapter === chapter) &&
            (leader === null || f.leaders.includes(leader)) &&
            (!attentionOnly || needsAttention(f)),
        );
        const shown = visible.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        const allExplanations = explanations.data ?? v.explanations;
        const asked = new Set(allExplanations.filter((e) => e.reply === null).map((e) => `${e.taskId}:${e.unitId}:${e.kind}`));
        const attention = v.findings.filter(needsAttention).length;
        return (
          <>
            <Breadcrumb
              style={{ marginBottom: 12 }}
              items={
                office
                  ? [{ title: <Link to="/rounds">调度轮次</Link> }, { title: <Link to={`/rounds/${roundId}`}>{v.round}</Link> }, { title: '数据洞察' }]
                  : // A leader reads it from 领导看板; the rounds' review screens are the office's.
                    [{ title: <Link to={`/dashboard?plan=${v.planId}&round=${roundId}`}>领导看板</Link> }, { title: v.round }, { title: '数据洞察' }]
              }
            />
            <PageTitle
              title={`${v.round}数据洞察`}
              subtitle={v.previousRound ? `对比上轮：${v.previousRound}；需关注 ${attention} 项` : `需关注 ${attention} 项`}
              extra={office ? <LinkButton to={`/rounds/${roundId}/evaluation`}>考核</LinkButton> : undefined}
            />
            <Counts view={v} kind={kind} onKind={filter(setKind)} />
            <Explanations explanations={allExplanations} />
            <Card size="small" role="region" aria-label="发现列表">
              <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
                <Select<FindingKind | ''>
                  aria-label="按类型筛选"
                  style={{ minWidth: 130 }}
                  value={kind ?? ''}
                  onChange={(value) => filter(setKind)(value || null)}
                  options={[{ value: '', label: '全部类型' }, ...FINDING_KINDS.map((k) => ({ value: k, label: FINDING_KIND_LABELS[k] }))]}
                />
                <Select<string>
                  aria-label="按单位筛选"
                  style={{ minWidth: 130 }}
                  value={unit ?? ''}
                  showSearch
                  onChange={(value) => filter(setUnit)(value || null)}
                  options={[{ value: '', label: '全部单位' }, ...options.units.map((u) => ({ value: u, label: u }))]}
                />
                <Select<number>
                  aria-label="按章节筛选"
                  style={{ minWidth: 160, maxWidth: 320 }}
                  value={chapter ?? 0}
                  onChange={(value) => filter(setChapter)(value || null)}
                  options={[{ value: 0, label: '全部章节' }, ...options.chapters.map(([n, title]) => ({ value: n, label: `${chapterLabel(n)}${title}` }))]}
                />
                <Select<string>
                  aria-label="按分管领导筛选"
                  style={{ minWidth: 130 }}
                  value={leader ?? ''}
                  onChange={(value) => filter(setLeader)(value || null)}
                  options={[{ value: '', label: '全部分管领导' }, ...options.leaders.map((l) => ({ value: l, label: l }))]}
                />
                <label style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
                  <Switch size="small" checked={attentionOnly} onChange={filter(setAttentionOnly)} aria-label="只看需关注" />
                  只看需关注
                </label>
                <Typography.Text type="secondary">共 {visible.length} 条</Typography.Text>
              </Flex>
              {shown.length === 0 ? (
                <Empty description={v.findings.length === 0 ? '本轮没有发现' : '没有符合条件的发现'} />
              ) : (
                shown.map((f, i) => (
                  <FindingItem
                    key={`${(page - 1) * PAGE_SIZE + i}`}
                    finding={f}
                    explained={f.unitId !== null && asked.has(`${f.taskId}:${f.unitId}:${f.kind}`)}
                    actions={office ? { onExplain: (finding) => setAsking({ finding, message: explanationMessage(finding, v.round) }), onIndicator } : {}}
                  />
                ))
              )}
              {visible.length > PAGE_SIZE && (
                <Pagination style={{ marginTop: 12 }} current={page} pageSize={PAGE_SIZE} total={visible.length} showSizeChanger={false} onChange={setPage} />
              )}
            </Card>
            <IndicatorDialog
              finding={correcting}
              saving={decideIndicator.isPending}
              onClose={() => setCorrecting(null)}
              onSave={(input) =>
                decideIndicator.mutateAsync({ taskId: correcting!.taskId, key: correcting!.key, input }).then(
                  () => {
                    setCorrecting(null);
                    void message.success('已修改并确认指标');
                  },
                  // The dialog shows the refusal (at its field when the server names one).
                  (error: unknown) => {
                    throw error;
                  },
                )
              }
            />
            <Modal
              open={asking !== null}
              title={asking ? `请${asking.finding.unit ?? '该单位'}说明 ${placeLabel(asking.finding.task)}` : ''}
              okText="发送"
              cancelText="取消"
              okButtonProps={{ disabled: !asking?.message.trim() || (asking?.message.length ?? 0) > EXPLANATION_MAX, loading: ask.isPending }}
              onCancel={() => setAsking(null)}
              onOk={() =>
                asking &&
                ask
                  .mutateAsync({ taskId: asking.finding.taskId, unitId: asking.finding.unitId!, kind: asking.finding.kind, message: asking.message.trim() })
                  .then(
                    () => {
                      void message.success(`已请${asking.finding.unit ?? '该单位'}说明，对方将在“我的填报”中看到`);
                      setAsking(null);
                    },
                    (error: unknown) => void message.error(describeError(error)),
                  )
              }
            >
              {asking && (
                <>
                  <Typography.Paragraph type="secondary">{findingSummary(asking.finding)}</Typography.Paragraph>
                  <label htmlFor="explanation-message">发给{asking.finding.unit ?? '该单位'}的说明要求（可修改）</label>
                  <Input.TextArea
                    id="explanation-message"
                    value={asking.message}
                    onChange={(event) => setAsking({ ...asking, message: event.target.value })}
                    autoSize={{ minRows: 3, maxRows: 8 }}
                    count={{ show: true, max: EXPLANATION_MAX }}
                    style={{ marginTop: 6 }}
                  />
                </>
              )}
            </Modal>
          </>
        );
      }}
    </QueryState>
  );
}
