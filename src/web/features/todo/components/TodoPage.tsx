import { Alert, App, Button, Card, Descriptions, Empty, Flex, Progress, Result, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { SubmissionView, TodoView } from '../../../../domain/api/round-view.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { SubmissionStateTag } from '../../../components/StatusTags.tsx';
import { ApiError, NetworkError, describeError } from '../../../lib/api.ts';
import { formatDate, formatDateTime, newIdempotencyKey } from '../../../lib/format.ts';
import { STATUSES_NEEDING_REASON } from '../../../lib/labels.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useOpenRoundsOfUnit, useRecordSavedAnswer, useSubmissionAction, useTodo } from '../api/todo.ts';
import { AnswerEditor, itemTitle } from './AnswerEditor.tsx';
import { CollectiveAnswers } from './CollectiveAnswers.tsx';
import { ExplanationRequests } from './ExplanationRequests.tsx';
import { ReturnedTableDialog } from './ReturnedTableDialog.tsx';
import type { Autosave } from './useAnswerAutosave.ts';
import { useWords } from '../../../lib/organisation.ts';

const EDITABLE_STATES = new Set(['not_started', 'draft', 'returned']);

function Deadline({ deadline }: { deadline: string | null }) {
  if (!deadline) return <>未设定</>;
  const end = dayjs(deadline);
  const days = end.startOf('day').diff(dayjs().startOf('day'), 'day');
  const hint = end.isBefore(dayjs()) ? (
    <Typography.Text type="danger">（已逾期）</Typography.Text>
  ) : days <= 3 ? (
    <Typography.Text type="warning">（还剩 {days} 天）</Typography.Text>
  ) : (
    <Typography.Text type="secondary">（还剩 {days} 天）</Typography.Text>
  );
  return (
    <>
      {formatDateTime(deadline)}
      {hint}
    </>
  );
}

/** What a submit did, told as the server decided it (a unit without a head goes straight to the office). */
function submittedMessage(view: SubmissionView, unit: string): string {
  const where = view.holder === 'head' ? `已提交，等待${unit}负责人审核` : view.note ? `已提交办公室（${view.note}）` : '已提交办公室';
  return view.late ? `${where}；已过截止时间，记为逾期提交` : where;
}

/** Where the unit's submission rests now, for the banner above the list. */
function restingMessage(submission: SubmissionView, unit: string): string {
  if (submission.state === 'accepted') return '办公室已采纳本单位的填报。';
  if (submission.holder === 'head') return `已提交，等待${unit}负责人审核。如需修改，请联系${unit}负责人或办公室退回。`;
  if (submission.note) return `${submission.note}，等待办公室审阅。`;
  if (submission.state === 'approved') return `${unit}负责人已审核通过，等待办公室审阅。`;
  return '已提交，等待办公室审阅。如需修改，请联系办公室退回。';
}

function TodoList({ todo }: { todo: TodoView }) {
  const user = useCurrentUser();
  const words = useWords();
  const { message, modal } = App.useApp();
  const editors = useRef(new Map<number, Autosave>());
  const submitKey = useRef<string | null>(null);
  const action = useSubmissionAction(todo.round.id, todo.unit.id);
  const onSaved = useRecordSavedAnswer(todo.round.id, todo.unit.id);
  const { submission, round } = todo;
  const editable = round.status === 'open' && EDITABLE_STATES.has(submission.state);
  const canApprove = user.role === 'unit_head' && round.status === 'open' && round.requiresApproval && submission.state === 'submitted';

  const register = useCallback((taskId: number, autosave: Autosave | null) => {
    if (autosave) editors.current.set(taskId, autosave);
    else editors.current.delete(taskId);
  }, []);

  // Leaving with unsaved text asks first (the text is in localStorage anyway).
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if ([...editors.current.values()].some((e) => e.state.kind === 'dirty' || e.state.kind === 'saving' || e.state.kind === 'conflict'))
        event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const [importing, setImporting] = useState(false);
  const flushAll = async () =>
    (await Promise.all(todo.items.map((item) => editors.current.get(item.task.id)?.flush() ?? Promise.resolve(true)))).every(Boolean);

  const [filled, setFilled] = useState<Record<number, boolean>>({});
  const onFilledChange = useCallback((taskId: number, value: boolean) => setFilled((old) => (old[taskId] === value ? old : { ...old, [taskId]: value })), []);
  const answered = todo.items.filter((item) => filled[item.task.id] ?? Boolean(item.answer.text.trim())).length;
  // Submit needs text in every answer; a missing status only asks for a confirmation, so it is told apart.
  const [statusOf, setStatusOf] = useState<Record<number, boolean>>({});
  const onStatusChange = useCallback((taskId: number, value: boolean) => setStatusOf((old) => (old[taskId] === value ? old : { ...old, [taskId]: value })), []);
  const withoutStatus = todo.items.filter(
    (item) => (filled[item.task.id] ?? Boolean(item.answer.text.trim())) && !(statusOf[item.task.id] ?? item.answer.status !== null),
  ).length;

  const focusItem = (index: number) => {
    const element = document.querySelector(`[aria-label="${itemTitle(todo.items[index]!, index)}"]`);
    element?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };

  const send = () => {
    submitKey.current ??= newIdempotencyKey();
    action.mutate(
      { action: 'submit', idempotencyKey: submitKey.current },
      {
        onSuccess: (view) => {
          submitKey.current = null;
          message.success(submittedMessage(view, words.unit));
        },
        onError: (error) => {
          // Only an answer the server may not have seen is retried with the same key.
          if (!(error instanceof NetworkError) && !(error instanceof ApiError && error.status >= 500)) submitKey.current = null;
          message.error(`提交失败：${describeError(error)}`);
          // answers_incomplete / reason_required name the tasks: show the first.
          const taskIds = error instanceof ApiError && Array.isArray(error.details.taskIds) ? (error.details.taskIds as number[]) : [];
          const index = todo.items.findIndex((item) => taskIds.includes(item.task.id));
          if (index >= 0) focusItem(index);
        },
      },
    );
  };

  const submit = async () => {
    const results = await Promise.all(todo.items.map((item) => editors.current.get(item.task.id)?.flush() ?? Promise.resolve(true)));
    const failed = results.findIndex((ok) => !ok);
    if (failed >= 0) {
      focusItem(failed);
      message.error('有内容尚未保存到服务器，请处理提示后再提交');
      return;
    }
    const values = todo.items.map((item) => editors.current.get(item.task.id)?.values ?? item.answer);
    const noReason = values.findIndex((v) => v.status && STATUSES_NEEDING_REASON.includes(v.status) && !v.reason?.trim());
    if (noReason >= 0) {
      focusItem(noReason);
      message.error(`${itemTitle(todo.items[noReason]!, noReason)}：状态为滞后或暂缓时必须填写原因`);
      return;
    }
    // The server refuses a submit with an empty answer: say which ones before it does.
    const noText = values.findIndex((v) => !v.text.trim());
    if (noText >= 0) {
      const count = values.filter((v) => !v.text.trim()).length;
      focusItem(noText);
      message.error(`还有 ${count} 项任务未填写推进情况（第一项：${itemTitle(todo.items[noText]!, noText)}），请填写后再提交`);
      return;
    }
    const recipient = round.requiresApproval ? `${words.unit}负责人审核（本单位无负责人账号时直接报送办公室）` : '办公室';
    const confirmSubmit = () =>
      modal.confirm({
        title: '提交本单位的填报？',
        content: `将把${todo.unit.name}的 ${todo.items.length} 项推进情况提交${recipient}；提交后不能再修改，除非被退回。`,
        okText: '提交',
        cancelText: '再看看',
        autoFocusButton: 'cancel',
        onOk: send,
      });
    const noStatus = values.map((v, i) => (!v.status ? itemTitle(todo.items[i]!, i) : null)).filter((t): t is string => t !== null);
    if (noStatus.length) {
      modal.confirm({
        title: '还有任务未选择推进状态',
        content: (
          <div>
            <ul style={{ paddingLeft: 20, maxHeight: 200, overflow: 'auto' }}>
              {noStatus.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
            <p>确定仍要提交吗？</p>
          </div>
        ),
        okText: '仍然提交',
        cancelText: '返回填写',
        autoFocusButton: 'cancel',
        onOk: send,
      });
      return;
    }
    confirmSubmit();
  };

  const approve = () =>
    modal.confirm({
      title: '审核通过本单位的填报？',
      content: `将审核通过${todo.unit.name}全部待审的 ${todo.items.length} 项推进情况并报送办公室；如需逐项退回，请用“逐项审阅”。`,
      okText: '审核通过',
      cancelText: '取消',
      autoFocusButton: 'cancel',
      onOk: () =>
        action.mutateAsync({ action: 'approve' }).then(
          () => void message.success('已审核通过，报送办公室'),
          (e: unknown) => void message.error(`审核失败：${describeError(e)}`),
        ),
    });

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          items={[
            { key: 'unit', label: '填报单位', children: todo.unit.name },
            { key: 'period', label: '调度期间', children: `${formatDate(round.periodStart)} 至 ${formatDate(round.periodEnd)}` },
            {
              key: 'deadline',
              label: '截止时间',
              children: (
                <>
                  <Deadline deadline={submission.extendedDeadline ?? round.deadline} />
                  {submission.extendedDeadline && <Typography.Text type="secondary">（办公室已为本单位延期）</Typography.Text>}
                </>
              ),
            },
            {
              key: 'state',
              label: '报送状态',
              children: (
                <span>
                  <SubmissionStateTag state={submission.state} submission={submission} />
                  {submission.submittedAt && <Typography.Text type="secondary">提交于 {formatDateTime(submission.submittedAt)}</Typography.Text>}
                  {submission.late && <Typography.Text type="danger">（逾期提交）</Typography.Text>}
                </span>
              ),
            },
          ]}
        />
        {round.note && <Alert type="info" showIcon style={{ marginTop: 8 }} title="办公室说明" description={<span className="prose">{round.note}</span>} />}
        {submission.state === 'returned' && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 8 }}
            title="办公室已退回，请修改后重新提交"
            description={submission.returnComment ? <span className="prose">退回意见：{submission.returnComment}</span> : undefined}
          />
        )}
        {round.status === 'closed' && <Alert type="warning" showIcon style={{ marginTop: 8 }} title="本轮调度已结束，内容只读。" />}
        {round.status === 'open' && !editable && <Alert type="success" showIcon style={{ marginTop: 8 }} title={restingMessage(submission, words.unit)} />}
        <Flex align="center" gap={12} style={{ marginTop: 12 }} wrap>
          <Typography.Text>
            已填写 {answered} / {todo.items.length} 项
            {withoutStatus > 0 && <Typography.Text type="warning">（其中 {withoutStatus} 项未选推进状态，提交时会再确认）</Typography.Text>}
          </Typography.Text>
          <Progress
            percent={todo.items.length ? Math.round((answered / todo.items.length) * 100) : 0}
            size="small"
            style={{ flex: 1, minWidth: 160, margin: 0 }}
            aria-label="填写进度"
          />
          {round.status === 'open' && todo.items.length > 0 && (
            <Button onClick={() => setImporting(true)} title="把在 Word/Excel 调度表中离线填写的推进情况导入为草稿">
              导入回传表
            </Button>
          )}
        </Flex>
      </Card>
      {importing && <ReturnedTableDialog open roundId={round.id} unitId={todo.unit.id} onClose={() => setImporting(false)} beforePreview={flushAll} />}

      {todo.items.length === 0 ? (
        <Empty description="本轮没有本单位需要填报的任务" />
      ) : (
        todo.items.map((item, index) => (
          <AnswerEditor
            key={item.task.id}
            roundId={round.id}
            unitId={todo.unit.id}
            item={item}
            index={index}
            editable={editable}
            register={register}
            onFilledChange={onFilledChange}
            onStatusChange={onStatusChange}
            onSaved={onSaved}
          />
        ))
      )}

      {(editable || canApprove) && todo.items.length > 0 && (
        <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 5, boxShadow: '0 -2px 8px rgba(0,0,0,0.08)' }}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Typography.Text type="secondary" className="hide-on-phone">
              {editable ? '内容会自动保存为草稿；全部填写后点击“提交”报送。' : '请审阅本单位填报内容。'}
            </Typography.Text>
            <Flex gap={8} style={{ flex: 1, justifyContent: 'flex-end' }}>
              {editable && (
                <Button type="primary" size="large" onClick={() => void submit()} loading={action.isPending} disabled={action.isPending}>
                  提交
                </Button>
              )}
              {canApprove && (
                <LinkButton size="large" to={`/rounds/${round.id}/units/${todo.unit.id}`}>
                  逐项审阅
                </LinkButton>
              )}
              {canApprove && (
                <Button type="primary" size="large" onClick={approve} loading={action.isPending} disabled={action.isPending}>
                  审核通过
                </Button>
              )}
            </Flex>
          </Flex>
        </Card>
      )}
    </>
  );
}

/** 我的填报: the unit's tasks in the open round. */
export function TodoPage() {
  const user = useCurrentUser();
  const words = useWords();
  const params = useParams();
  const navigate = useNavigate();
  const unitId = user.unit?.id ?? null;
  // Every open round of every plan not archived in which the unit has tasks, by plan; the newest first by default.
  const plans = useOpenRoundsOfUnit(unitId);
  const openRounds = (plans.data?.plans ?? []).flatMap((plan) => plan.rounds.map((round) => ({ ...round, planId: plan.planId, planTitle: plan.planTitle })));
  const routeRound = params.roundId ? Number(params.roundId) : null;
  const roundId = routeRound ?? openRounds.reduce<number | null>((newest, round) => (newest === null || round.id > newest ? round.id : newest), null);
  const todo = useTodo(roundId, unitId);
  // 办公室自行填写: the office, sent from the board, writes for a collective unit (各处(室) …).
  const [search] = useSearchParams();
  const collectiveUnitId = search.has('unitId') ? Number(search.get('unitId')) : null;

  if (user.role === 'office' && routeRound !== null && collectiveUnitId !== null && Number.isSafeInteger(collectiveUnitId) && collectiveUnitId > 0)
    return <CollectiveAnswers roundId={routeRound} unitId={collectiveUnitId} />;
  if (!user.unit) return <Result status="warning" title={`您的账户未绑定${words.unit}`} subTitle={`请联系系统管理员为账户设置所属${words.unit}或单位。`} />;

  const roundLabel = todo.data?.round.label ?? openRounds.find((r) => r.id === roundId)?.label;
  return (
    <>
      <PageTitle
        title="我的填报"
        subtitle={roundLabel ? `${roundLabel} · ${user.unit.name}` : user.unit.name}
        extra={
          openRounds.length > 1 ? (
            <Select
              aria-label="选择调度轮次"
              style={{ minWidth: 220 }}
              value={roundId ?? undefined}
              options={(plans.data?.plans ?? []).map((plan) => ({
                label: plan.planTitle.length > 24 ? `${plan.planTitle.slice(0, 24)}…` : plan.planTitle,
                title: plan.planTitle,
                options: plan.rounds.map((r) => ({ value: r.id, label: r.label })),
              }))}
              onChange={(value: number) => void navigate(`/todo/${value}`)}
            />
          ) : undefined
        }
      />
      <ExplanationRequests unitId={user.unit.id} />
      {plans.isSuccess && roundId === null ? (
        <Empty description="当前没有进行中的调度，办公室发起调度后会通知您。" />
      ) : (
        <QueryState isPending={plans.isPending || todo.isPending} error={plans.error ?? todo.error} retry={() => void todo.refetch()}>
          {/* A new list when the workflow moves on (submitted, returned …); the first draft save
              (未填报 → 填报中) updates the tag in place and keeps the editors as they are. */}
          {() => (
            <TodoList
              key={`${todo.data!.round.id}-${todo.data!.submission.state === 'not_started' ? 'draft' : todo.data!.submission.state}`}
              todo={todo.data!}
            />
          )}
        </QueryState>
      )}
    </>
  );
}
