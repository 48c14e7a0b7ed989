import { DownloadOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Card, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import type { UnitEvaluationRow } from '../../../../domain/api/insight-view.ts';
import { NOT_DUE_LABEL } from '../../../../domain/evaluation.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { EVALUATION_COUNT_LABELS as WORDS, onTimeLabel } from '../../../lib/findings.ts';
import { useRound } from '../../../lib/queries.ts';
import { evaluationWorkbookUrl, planEvaluationWorkbookUrl, useEvaluation } from '../api/insights.ts';

const byNumber = (key: keyof UnitEvaluationRow) => (a: UnitEvaluationRow, b: UnitEvaluationRow) => Number(a[key] ?? -1) - Number(b[key] ?? -1);
/** A count that is not zero reads red: something the unit has to answer for. */
const redIfAny = (value: number) => (value > 0 ? <Typography.Text type="danger">{value}</Typography.Text> : value);

/** 考核: per unit in the round — on time, complete, returned, stale, silent — and the Excel files. */
export function EvaluationPage() {
  const roundId = Number(useParams().roundId);
  const round = useRound(roundId);
  const query = useEvaluation(roundId);
  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const view = query.data!;
        return (
          <>
            <Breadcrumb
              style={{ marginBottom: 12 }}
              items={[{ title: <Link to="/rounds">调度轮次</Link> }, { title: <Link to={`/rounds/${roundId}`}>{view.roundLabel}</Link> }, { title: '考核' }]}
            />
            <PageTitle
              title={`${view.roundLabel}考核`}
              subtitle="按单位统计：按时报送、填报完整、被退回、沿用未更新、无新内容、未发声、数字不一致、指标滞后、请说明，及得分"
              extra={
                <>
                  <LinkButton to={`/rounds/${roundId}/insights`}>数据洞察</LinkButton>
                  <Button type="primary" icon={<DownloadOutlined />} href={evaluationWorkbookUrl(roundId)} download>
                    导出 Excel
                  </Button>
                  {round.data && (
                    <Button icon={<DownloadOutlined />} href={planEvaluationWorkbookUrl(round.data.planId)} download>
                      导出全方案各轮考核
                    </Button>
                  )}
                </>
              }
            />
            <Card size="small">
              <div style={{ overflowX: 'auto' }}>
                <Table<UnitEvaluationRow>
                  rowKey="unitId"
                  size="middle"
                  pagination={false}
                  dataSource={view.rows}
                  style={{ minWidth: 900 }}
                  locale={{ emptyText: '本轮没有参与报送的单位' }}
                  columns={[
                    { title: '单位', dataIndex: 'unitName', sorter: (a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN'), width: 140 },
                    {
                      title: '按时报送',
                      dataIndex: 'onTime',
                      sorter: byNumber('onTime'),
                      render: (v: boolean | null) =>
                        v === null ? (
                          <Typography.Text type="secondary">{onTimeLabel(v, round.data?.status)}</Typography.Text>
                        ) : (
                          <Tag color={v ? 'success' : 'error'}>{onTimeLabel(v, round.data?.status)}</Tag>
                        ),
                    },
                    {
                      title: '已填 / 任务',
                      key: 'answered',
                      sorter: (a, b) => a.answered / (a.tasks || 1) - b.answered / (b.tasks || 1),
                      render: (_, r) => `${r.answered} / ${r.tasks}`,
                    },
                    { title: '被退回', dataIndex: 'returned', sorter: byNumber('returned'), render: redIfAny },
                    { title: WORDS.stale, dataIndex: 'stale', sorter: byNumber('stale'), render: redIfAny },
                    { title: WORDS.noNewFacts, dataIndex: 'noNewFacts', sorter: byNumber('noNewFacts'), render: redIfAny },
                    { title: WORDS.silent, dataIndex: 'silent', sorter: byNumber('silent'), render: redIfAny },
                    { title: WORDS.arithmeticErrors, dataIndex: 'arithmeticErrors', sorter: byNumber('arithmeticErrors'), render: redIfAny },
                    { title: WORDS.indicatorsBehind, dataIndex: 'indicatorsBehind', sorter: byNumber('indicatorsBehind'), render: redIfAny },
                    { title: WORDS.explanations, dataIndex: 'explanations', sorter: byNumber('explanations'), render: redIfAny },
                    {
                      title: '得分',
                      dataIndex: 'score',
                      sorter: byNumber('score'),
                      defaultSortOrder: 'descend',
                      render: (v: number | null, r) =>
                        r.scoreState === 'not_due' ? (
                          <Typography.Text type="secondary">{NOT_DUE_LABEL}</Typography.Text>
                        ) : v === null ? (
                          '—'
                        ) : (
                          <Typography.Text strong>{v}</Typography.Text>
                        ),
                    },
                  ]}
                />
              </div>
            </Card>
          </>
        );
      }}
    </QueryState>
  );
}
