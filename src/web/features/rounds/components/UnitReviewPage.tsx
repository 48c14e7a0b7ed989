import { Alert, Breadcrumb, Card, Col, Descriptions, Empty, Row, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { AttachmentList, CopiedFromPreviousTag } from '../../../components/AttachmentList.tsx';
import { ClampText } from '../../../components/ClampText.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { ProgressStatusTag, SubmissionStateTag, UnitRoleTag } from '../../../components/StatusTags.tsx';
import { chapterLabel, formatDateTime, sectionLabel } from '../../../lib/format.ts';
import { useUnitAnswers } from '../api/rounds.ts';
import { ReviewActions } from './ReviewActions.tsx';

/** One unit's answers in a round, read by the office before accepting or returning them. */
export function UnitReviewPage() {
  const params = useParams();
  const roundId = Number(params.roundId);
  const unitId = Number(params.unitId);
  const query = useUnitAnswers(roundId, unitId);

  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const todo = query.data!;
        const { submission, round } = todo;
        return (
          <>
            <Breadcrumb
              style={{ marginBottom: 12 }}
              items={[{ title: <Link to="/rounds">调度轮次</Link> }, { title: <Link to={`/rounds/${roundId}`}>{round.label}</Link> }, { title: todo.unit.name }]}
            />
            <PageTitle
              title={`${todo.unit.name}的填报`}
              subtitle={round.label}
              extra={<ReviewActions roundId={roundId} unitId={unitId} unitName={todo.unit.name} state={submission.state} requiresApproval={round.requiresApproval} roundOpen={round.status === 'open'} size="middle" />}
            />
            <Card size="small" style={{ marginBottom: 16 }}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 4 }}
                items={[
                  { key: 'state', label: '状态', children: <SubmissionStateTag state={submission.state} /> },
                  { key: 'submitted', label: '提交时间', children: formatDateTime(submission.submittedAt) },
                  { key: 'approved', label: '处室审核时间', children: formatDateTime(submission.approvedAt) },
                  { key: 'reviewed', label: '办公室审阅时间', children: formatDateTime(submission.reviewedAt) },
                ]}
              />
              {submission.returnComment && <Alert type="warning" style={{ marginTop: 8 }} title="上次退回意见" description={<span className="prose">{submission.returnComment}</span>} />}
            </Card>
            {todo.items.length === 0 && <Empty description="该单位本轮没有任务" />}
            {todo.items.map((item, index) => (
              <Card
                key={item.task.id}
                size="small"
                style={{ marginBottom: 12 }}
                role="region"
                aria-label={`第${index + 1}项 ${chapterLabel(item.task.chapterNumber)}${sectionLabel(item.task.sectionNumber)}`}
                title={
                  <Space wrap>
                    <span>
                      第{index + 1}项 {chapterLabel(item.task.chapterNumber)}
                      {sectionLabel(item.task.sectionNumber)}
                    </span>
                    <UnitRoleTag role={item.task.role} />
                    <Link to={`/tasks/${item.task.id}`}>任务详情</Link>
                  </Space>
                }
              >
                <ClampText text={item.task.text} lines={2} threshold={100} />
                <Row gutter={[16, 12]} style={{ marginTop: 12 }}>
                  <Col xs={24} lg={10}>
                    <Typography.Text type="secondary">上轮推进情况</Typography.Text>
                    <div style={{ background: '#fafafa', borderRadius: 6, padding: 8, marginTop: 4 }}>
                      <ClampText text={item.previousText ?? ''} lines={6} threshold={300} empty="（上轮无内容）" />
                    </div>
                  </Col>
                  <Col xs={24} lg={14}>
                    <Space>
                      <Typography.Text type="secondary">本轮推进情况</Typography.Text>
                      <ProgressStatusTag status={item.answer.status} />
                      <CopiedFromPreviousTag answer={item.answer} />
                    </Space>
                    <div className="prose" style={{ marginTop: 4 }}>
                      {item.answer.text || <Typography.Text type="danger">（未填写）</Typography.Text>}
                    </div>
                    {item.answer.reason && (
                      <div style={{ marginTop: 4 }}>
                        <Typography.Text type="secondary">原因：</Typography.Text>
                        {item.answer.reason}
                      </div>
                    )}
                    {item.attachments.length > 0 && (
                      <div style={{ marginTop: 8 }}>
                        <Typography.Text type="secondary">佐证材料（{item.attachments.length}）</Typography.Text>
                        <AttachmentList attachments={item.attachments} />
                      </div>
                    )}
                  </Col>
                </Row>
              </Card>
            ))}
          </>
        );
      }}
    </QueryState>
  );
}
