import { Card, Col, Flex, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { TaskRowView } from '../../../../domain/api/plan-view.ts';
import { ClampText } from '../../../components/ClampText.tsx';
import { AnswerStateTag, ProgressStatusTag, UnitRoleTag } from '../../../components/StatusTags.tsx';
import { useWords } from '../../../lib/organisation.ts';

/** Units that wrote nothing are shown by name: that absence is what the office looks for. */
export function answersWithGaps(task: TaskRowView) {
  const rows = task.answers.map((answer) => ({ ...answer, key: `${answer.unitId ?? 'x'}-${answer.unitName ?? ''}` }));
  const answered = new Set(task.answers.filter((a) => a.state !== 'empty' && a.text).map((a) => a.unitId));
  const missing = task.units.filter((unit) => !answered.has(unit.id) && !rows.some((r) => r.unitId === unit.id && r.state !== 'empty'));
  return {
    rows: rows.filter((r) => r.state !== 'empty' || r.text),
    missing,
  };
}

export function TaskCard({ task, roundLabel }: { task: TaskRowView; roundLabel: string | null }) {
  const { rows, missing } = answersWithGaps(task);
  const words = useWords();
  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 12 } }}>
      <Row gutter={[16, 12]}>
        <Col xs={24} lg={11}>
          <Flex gap={8} wrap align="center" style={{ marginBottom: 6 }}>
            <Link to={`/tasks/${task.id}`} aria-label={`任务详情：第${task.position}项`}>
              <Typography.Text strong>第 {task.position} 项</Typography.Text>
            </Link>
            {task.retired && <Tag title="自下一轮起不再调度">已撤销</Tag>}
            {task.leadDepartment && (
              <Tag color="geekblue" title="省级牵头部门">
                {task.leadDepartment}
              </Tag>
            )}
          </Flex>
          <ClampText text={task.text} lines={4} threshold={160} />
          <div style={{ marginTop: 8, fontSize: 13 }}>
            <Typography.Text type="secondary">{words.leadersColumn}：</Typography.Text>
            {task.leaders.length ? task.leaders.join('、') : '—'}
          </div>
          <div style={{ marginTop: 4, fontSize: 13 }}>
            <Typography.Text type="secondary">{words.unitsColumn}：</Typography.Text>
            <Space size={[4, 4]} wrap>
              {task.units.map((unit) => (
                <span key={unit.id} style={{ whiteSpace: 'nowrap' }}>
                  {unit.name}
                  <UnitRoleTag role={unit.role} />
                </span>
              ))}
            </Space>
          </div>
          {task.due && (
            <div style={{ marginTop: 4, fontSize: 13 }}>
              <Typography.Text type="secondary">完成时限：</Typography.Text>
              {task.due}
            </div>
          )}
          {task.warnings.length > 0 && (
            <div style={{ marginTop: 4 }}>
              {task.warnings.map((warning) => (
                <Tag key={warning} color="warning" style={{ whiteSpace: 'normal' }}>
                  {warning}
                </Tag>
              ))}
            </div>
          )}
        </Col>
        <Col xs={24} lg={13}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            推进情况{roundLabel ? `（${roundLabel}）` : ''}
          </Typography.Text>
          {rows.length === 0 && missing.length === 0 && <div style={{ color: 'rgba(0, 0, 0, 0.56)' }}>暂无</div>}
          {rows.map((answer) => (
            <div key={answer.key} style={{ marginTop: 6, paddingLeft: 8, borderLeft: '3px solid #d6e4ff' }}>
              <Flex gap={4} wrap align="center">
                <Typography.Text strong style={{ fontSize: 13 }}>
                  {answer.unitName ?? '（未署名）'}
                </Typography.Text>
                <ProgressStatusTag status={answer.status} />
                <AnswerStateTag state={answer.state} />
              </Flex>
              <ClampText text={answer.text} lines={3} />
            </div>
          ))}
          {missing.length > 0 && (
            <div style={{ marginTop: 6 }}>
              <Typography.Text type="danger" style={{ fontSize: 13 }}>
                未填报：{missing.map((unit) => unit.name).join('、')}
              </Typography.Text>
            </div>
          )}
        </Col>
      </Row>
    </Card>
  );
}
