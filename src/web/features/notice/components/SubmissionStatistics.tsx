import { useQuery } from '@tanstack/react-query';
import type { UnitStatisticsRow } from '../../../../domain/api/round-statistics-view.ts';
import { SUBMISSION_STATE_LABELS } from '../../../../domain/limits.ts';
import { QueryState } from '../../../components/QueryState.tsx';
import { api } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';

/** 按时/逾期 of one unit, as the Excel sheet 报送情况 writes it. */
function timeliness(unit: UnitStatisticsRow): string {
  if (!unit.submitted) return unit.state === 'returned' ? '已退回，待重新提交' : '未报送';
  if (unit.late) return unit.submittedAt ? `逾期（${formatDateTime(unit.submittedAt)} 提交）` : '逾期';
  return '按时报送';
}

/**
 * 附：报送情况统计（不随通报印发）: the round's submission figures after the table, for the office's
 * own use. It is a separate section with its own title, shown only when the office asks for it;
 * the notice's own text is never changed by it (the Word notice never carries it).
 */
export function SubmissionStatistics({ roundId }: { roundId: number }) {
  const query = useQuery({
    queryKey: ['rounds', roundId, 'statistics'],
    queryFn: () => api.GET('/api/rounds/{roundId}/statistics', { params: { path: { roundId } } }),
  });
  return (
    <section className="notice-print notice-statistics" aria-labelledby="notice-statistics-title">
      <h2 id="notice-statistics-title" className="notice-title">
        附：报送情况统计（不随通报印发）
      </h2>
      <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {() => {
          const { totals, units, inApp, deadline } = query.data!;
          if (!inApp) return <p>本轮为导入的历史调度，没有在系统中报送的记录，不作报送情况统计。</p>;
          return (
            <>
              <p>
                截止时间：{deadline ? formatDateTime(deadline) : '未设定'}。参与报送单位 {totals.units} 个：按时报送 {totals.onTime} 个，逾期报送 {totals.late}{' '}
                个，未报送 {totals.notSubmitted} 个{totals.returned > 0 ? `（其中已退回待重新提交 ${totals.returned} 个）` : ''}；已采纳 {totals.accepted}{' '}
                个。已有进展的任务 {totals.tasksAnswered} / {totals.tasks} 项。
              </p>
              {units.length > 0 && (
                <table className="notice-table">
                  <thead>
                    <tr>
                      <th scope="col">单位</th>
                      <th scope="col">报送状态</th>
                      <th scope="col">按时/逾期</th>
                      <th scope="col">截止时间</th>
                      <th scope="col">是否采纳</th>
                    </tr>
                  </thead>
                  <tbody>
                    {units.map((unit) => {
                      const due = unit.extendedDeadline ?? deadline;
                      return (
                        <tr key={unit.unitId}>
                          <td>{unit.unitName}</td>
                          <td>{SUBMISSION_STATE_LABELS[unit.state]}</td>
                          <td className={unit.late ? 'notice-late' : undefined}>{timeliness(unit)}</td>
                          <td>{due ? `${unit.extendedDeadline ? '延期至 ' : ''}${formatDateTime(due)}` : ''}</td>
                          <td>{unit.accepted ? '已采纳' : ''}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
