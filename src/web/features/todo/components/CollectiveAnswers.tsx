import { Alert, App, Breadcrumb, Button, Card, Flex, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { CollectiveAnswersView } from '../../../../domain/api/round-view.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { useCollectiveAnswers, useRecordCollectiveAnswer } from '../api/todo.ts';
import { AnswerEditor, itemTitle } from './AnswerEditor.tsx';
import type { Autosave } from './useAnswerAutosave.ts';

function Answers({ view }: { view: CollectiveAnswersView }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const editors = useRef(new Map<number, Autosave>());
  const onSaved = useRecordCollectiveAnswer(view.round.id, view.unit.id);
  const editable = view.round.status === 'open';
  const board = `/rounds/${view.round.id}/board`;
  const [saving, setSaving] = useState(false);

  const register = useCallback((taskId: number, autosave: Autosave | null) => {
    if (autosave) editors.current.set(taskId, autosave);
    else editors.current.delete(taskId);
  }, []);
  const [filled, setFilled] = useState<Record<number, boolean>>({});
  const onFilledChange = useCallback((taskId: number, value: boolean) => setFilled((old) => (old[taskId] === value ? old : { ...old, [taskId]: value })), []);
  const answered = view.items.filter((item) => filled[item.task.id] ?? Boolean(item.answer.text.trim())).length;

  // Leaving with unsaved text asks first (the text is in localStorage anyway).
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if ([...editors.current.values()].some((e) => e.state.kind === 'dirty' || e.state.kind === 'saving' || e.state.kind === 'conflict'))
        event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  /** 完成: everything typed is on the server (it counts from there), then back to the board. */
  const finish = async () => {
    setSaving(true);
    try {
      const results = await Promise.all(view.items.map((item) => editors.current.get(item.task.id)?.flush() ?? Promise.resolve(true)));
      const failed = results.findIndex((ok) => !ok);
      if (failed >= 0) {
        message.error(`${itemTitle(view.items[failed]!, failed)}尚未保存到服务器，请处理提示后再完成`);
        return;
      }
      message.success(`“${view.unit.name}”的推进情况已保存，已计入调度表`);
      void navigate(board);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Alert
          type="info"
          showIcon
          title={`“${view.unit.name}”是集体名称，本轮没有指定代表的单位，由办公室自行填写`}
          description="保存后即计入本轮调度表（署名为该集体名称），无需提交或审核；本轮结束后只读。"
        />
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
          已填写 {answered} / {view.items.length} 项
        </Typography.Paragraph>
        {view.round.status !== 'open' && <Alert type="warning" showIcon style={{ marginTop: 8 }} title="本轮调度不在进行中，内容只读。" />}
      </Card>
      {view.items.map((item, index) => (
        <AnswerEditor
          key={item.task.id}
          roundId={view.round.id}
          unitId={view.unit.id}
          item={item}
          index={index}
          editable={editable}
          register={register}
          onFilledChange={onFilledChange}
          onSaved={onSaved}
          answeredByOffice
        />
      ))}
      {editable && (
        <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 5, boxShadow: '0 -2px 8px rgba(0,0,0,0.08)' }}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Typography.Text type="secondary" className="hide-on-phone">
              内容会自动保存；“完成”保存全部内容后返回催办看板。
            </Typography.Text>
            <Button type="primary" size="large" onClick={() => void finish()} loading={saving} disabled={saving}>
              完成
            </Button>
          </Flex>
        </Card>
      )}
    </>
  );
}

/**
 * 办公室自行填写 (issue 12): the office writes the answers of a collective unit (各处(室),
 * 直属单位 …) that no member unit answers in the round, with the same editor, autosave and
 * conflict rules as a unit. Reached from the board (/todo/:roundId?unitId=…).
 */
export function CollectiveAnswers({ roundId, unitId }: { roundId: number; unitId: number }) {
  const answers = useCollectiveAnswers(roundId, unitId);
  const view = answers.data;
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/rounds">调度轮次</Link> },
          { title: <Link to={`/rounds/${roundId}/board`}>{view ? `${view.round.label}催办看板` : '催办看板'}</Link> },
          { title: '办公室自行填写' },
        ]}
      />
      <PageTitle title="办公室自行填写" subtitle={view ? `${view.round.label} · ${view.unit.name}` : undefined} />
      <QueryState isPending={answers.isPending} error={answers.error} retry={() => void answers.refetch()}>
        {() => <Answers view={view!} />}
      </QueryState>
    </>
  );
}
