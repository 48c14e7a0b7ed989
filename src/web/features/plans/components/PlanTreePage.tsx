import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Checkbox, Col, Empty, Flex, Form, Grid, Input, Row, Segmented, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { PROGRESS_STATUSES, PROGRESS_STATUS_LABELS, SearchLimits, type ProgressStatus } from '../../../../domain/limits.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { RoundStatusTag } from '../../../components/StatusTags.tsx';
import { chapterLabel, sectionLabel } from '../../../lib/format.ts';
import { useWords } from '../../../lib/organisation.ts';
import { defaultRoundOf } from '../../../lib/queries.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { usePlanList } from '../api/plan-edit.ts';
import { filterOptionsOf, usePlanTree, type TreeFilters } from '../api/plans.ts';
import { PlanActions } from './PlanActions.tsx';
import { PlanEditor } from './PlanEditor.tsx';
import { TaskCard } from './TaskCard.tsx';

const EMPTY_FILTERS: Omit<TreeFilters, 'roundId'> = { unitId: null, leader: null, department: null, status: null, unanswered: false, q: null };

function numberParam(value: string | null): number | null {
  const n = value ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The plan as the document lays it out: 一、 chapters, (一) sections, tasks; filters in the URL. */
export function PlanTreePage() {
  const params = useParams();
  const words = useWords();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  // Archived plans (归档) only when asked; the office edits the plan as it stands (编辑方案).
  const showArchived = search.get('archived') === '1';
  const plans = usePlanList(showArchived);
  const isOffice = useCurrentUser().role === 'office';
  const editing = isOffice && search.get('edit') === '1';

  const planId = numberParam(params.planId ?? null) ?? plans.data?.[0]?.id ?? null;
  const plan = plans.data?.find((p) => p.id === planId);
  const roundId = numberParam(search.get('roundId')) ?? defaultRoundOf(plan);
  const status = search.get('status');
  const filters: TreeFilters = {
    roundId,
    unitId: numberParam(search.get('unitId')),
    leader: search.get('leader'),
    department: search.get('department'),
    status: status && (PROGRESS_STATUSES as readonly string[]).includes(status) ? (status as ProgressStatus) : null,
    unanswered: search.get('unanswered') === '1',
    q: search.get('q'),
  };
  const activeFilters = Object.entries(filters).filter(([key, value]) => key !== 'roundId' && key !== 'q' && value !== null && value !== false).length;
  const filtered = activeFilters > 0 || Boolean(filters.q);
  // On a phone the filters fold away behind one button; the search box stays.
  const isPhone = !(Grid.useBreakpoint().md ?? true);
  const [showFilters, setShowFilters] = useState(false);
  const filtersVisible = !isPhone || showFilters;

  const tree = usePlanTree(planId, filters);
  // Filter choices come from the whole plan, whatever is filtered now.
  const whole = usePlanTree(planId, { roundId, ...EMPTY_FILTERS });
  const options = useMemo(() => filterOptionsOf(whole.data), [whole.data]);

  const update = (patch: Record<string, string | number | boolean | null | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === undefined || value === '' || value === false) next.delete(key);
      else next.set(key, value === true ? '1' : String(value));
    }
    setSearch(next, { replace: true });
  };

  if (plans.data && plans.data.length === 0) {
    return (
      <>
        <PageTitle title="分工方案" extra={isOffice ? <PlanActions plan={undefined} /> : undefined} />
        <Empty description={isOffice ? '尚无分工方案：可新建方案，或导入方案文件。' : '尚未导入分工方案。请由管理员使用命令行 diaodu import 导入。'} />
      </>
    );
  }

  return (
    <>
      <PageTitle
        title="分工方案"
        subtitle={plan ? `${plan.title}${plan.docNumber ? `（${plan.docNumber}）` : ''}${plan.archivedAt ? '（已归档）' : ''}` : undefined}
        extra={
          isOffice ? (
            <Flex gap={8} wrap align="center">
              <Segmented
                aria-label="查看或编辑方案"
                value={editing ? 'edit' : 'view'}
                options={[
                  { value: 'view', label: '查看推进' },
                  { value: 'edit', label: '编辑方案' },
                ]}
                onChange={(value) => update({ edit: value === 'edit' })}
              />
              <PlanActions plan={plan} />
            </Flex>
          ) : undefined
        }
      />
      {editing && planId !== null ? (
        <PlanEditor planId={planId} />
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Form layout="vertical" size="middle">
              <Row gutter={[12, 0]}>
                {filtersVisible && (
                  <>
                    {(plans.data?.length ?? 0) > 1 && (
                      <Col xs={24} md={12} xl={8}>
                        <Form.Item label="分工方案" htmlFor="filter-plan">
                          <Select
                            id="filter-plan"
                            value={planId ?? undefined}
                            options={plans.data?.map((p) => ({ value: p.id, label: `${p.title}${p.archivedAt ? '（已归档）' : ''}` }))}
                            onChange={(value: number) => void navigate(`/plans/${value}${showArchived ? '?archived=1' : ''}`)}
                          />
                        </Form.Item>
                      </Col>
                    )}
                    <Col xs={12} md={8} xl={4} style={{ display: 'flex', alignItems: 'center' }}>
                      <Form.Item style={{ marginBottom: 12 }}>
                        <Checkbox checked={showArchived} onChange={(e) => update({ archived: e.target.checked })}>
                          显示已归档方案
                        </Checkbox>
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={8} xl={4}>
                      <Form.Item label="调度轮次" htmlFor="filter-round">
                        <Select
                          id="filter-round"
                          value={roundId ?? undefined}
                          placeholder="无"
                          options={[...(plan?.rounds ?? [])]
                            .sort((a, b) => b.id - a.id)
                            .map((r) => ({
                              value: r.id,
                              label: (
                                <span>
                                  {r.label} <RoundStatusTag status={r.status} />
                                </span>
                              ),
                              title: r.label,
                            }))}
                          onChange={(value: number) => update({ roundId: value })}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={8} xl={4}>
                      <Form.Item label={words.unitsColumn} htmlFor="filter-unit">
                        <Select
                          id="filter-unit"
                          allowClear
                          showSearch={{ optionFilterProp: 'label' }}
                          placeholder="全部"
                          value={filters.unitId ?? undefined}
                          options={options.units}
                          onChange={(value?: number) => update({ unitId: value })}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={8} xl={4}>
                      <Form.Item label={words.leadersColumn} htmlFor="filter-leader">
                        <Select
                          id="filter-leader"
                          allowClear
                          showSearch={{ optionFilterProp: 'label' }}
                          placeholder="全部"
                          value={filters.leader ?? undefined}
                          options={options.leaders}
                          onChange={(value?: string) => update({ leader: value })}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={8} xl={4}>
                      <Form.Item label="省级牵头部门" htmlFor="filter-department">
                        <Select
                          id="filter-department"
                          allowClear
                          showSearch={{ optionFilterProp: 'label' }}
                          placeholder="全部"
                          value={filters.department ?? undefined}
                          options={options.departments}
                          onChange={(value?: string) => update({ department: value })}
                        />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={8} xl={4}>
                      <Form.Item label="状态" htmlFor="filter-status">
                        <Select
                          id="filter-status"
                          allowClear
                          placeholder="全部"
                          value={filters.status ?? undefined}
                          options={PROGRESS_STATUSES.map((s) => ({ value: s, label: PROGRESS_STATUS_LABELS[s] }))}
                          onChange={(value?: ProgressStatus) => update({ status: value })}
                        />
                      </Form.Item>
                    </Col>
                  </>
                )}
                <Col xs={24} md={16} xl={8}>
                  <Form.Item label="搜索任务和推进情况" htmlFor="filter-q">
                    <Input.Search
                      id="filter-q"
                      allowClear
                      defaultValue={filters.q ?? ''}
                      key={filters.q ?? ''}
                      placeholder="输入关键词，如：水质、环评"
                      maxLength={SearchLimits.q.max}
                      onSearch={(value) => update({ q: value.trim() })}
                      enterButton="搜索"
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8} xl={4} style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
                  <Form.Item style={{ marginBottom: 12 }}>
                    <Checkbox checked={filters.unanswered} onChange={(e) => update({ unanswered: e.target.checked })}>
                      未填报
                    </Checkbox>
                  </Form.Item>
                  {isPhone && (
                    <Form.Item style={{ marginBottom: 12 }}>
                      <Badge count={activeFilters - (filters.unanswered ? 1 : 0)} size="small">
                        <Button icon={<FilterOutlined />} onClick={() => setShowFilters(!showFilters)} aria-expanded={showFilters}>
                          {showFilters ? '收起筛选' : '更多筛选'}
                        </Button>
                      </Badge>
                    </Form.Item>
                  )}
                </Col>
              </Row>
            </Form>
          </Card>

          <QueryState isPending={plans.isPending || (tree.isPending && planId !== null)} error={plans.error ?? tree.error} retry={() => void tree.refetch()}>
            {() =>
              tree.data ? (
                <>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} aria-live="polite">
                    共 {tree.data.total} 项任务{filtered ? `，符合条件 ${tree.data.matched} 项` : ''}
                    {tree.data.round ? `；推进情况：${tree.data.round.label}` : ''}
                  </Typography.Paragraph>
                  {tree.data.matched === 0 && <Empty description="没有符合条件的任务" />}
                  <div aria-busy={tree.isFetching} style={{ opacity: tree.isFetching && tree.isPlaceholderData ? 0.6 : 1 }}>
                    {tree.data.chapters
                      .filter((chapter) => chapter.sections.some((section) => section.tasks.length > 0))
                      .map((chapter) => (
                        <section key={chapter.id} aria-label={`${chapterLabel(chapter.number)}${chapter.title}`} style={{ marginBottom: 20 }}>
                          <Typography.Title level={4} style={{ marginTop: 8 }}>
                            {chapterLabel(chapter.number)}
                            {chapter.title}
                          </Typography.Title>
                          {chapter.sections
                            .filter((section) => section.tasks.length > 0)
                            .map((section) => (
                              <div key={section.id} style={{ marginBottom: 12 }}>
                                <Typography.Title level={5} style={{ color: '#1f4e8c' }}>
                                  {sectionLabel(section.number)}
                                  {section.title}
                                </Typography.Title>
                                {section.tasks.map((task) => (
                                  <TaskCard key={task.id} task={task} roundLabel={tree.data?.round?.label ?? null} />
                                ))}
                              </div>
                            ))}
                        </section>
                      ))}
                  </div>
                </>
              ) : (
                <Empty description="请选择分工方案" />
              )
            }
          </QueryState>
        </>
      )}
    </>
  );
}
