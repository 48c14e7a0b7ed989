import { BarChartOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Flex, Typography } from 'antd';
import { useState } from 'react';
import { checkStatisticsParagraphs, isStatisticsParagraph } from '../../../../domain/notice-statistics.ts';
import { ApiError, describeError } from '../../../lib/api.ts';
import { useStatisticsParagraph } from '../api/statistics-paragraph.ts';

/**
 * 插入统计段落 under the notice's body: puts the generated statistics paragraph into the body as a
 * paragraph the office edits like any other (after the first paragraph, or in place of the one
 * generated before), and checks the body's statistics paragraph against the round as it is typed:
 * a figure that no longer matches (a unit reported since) is named in a warning. Before the
 * figures arrive, the check the server made on the saved notice is shown.
 *
 * The button takes a click while the figures load (ticking 附上数据核对结果 starts a fetch): a
 * click on a button in its loading state would be dropped, and the office would wonder why nothing
 * came. The body is read again once the figures arrive, so what was typed meanwhile is kept.
 */
export function StatisticsParagraph(props: {
  roundId: number;
  body: string[];
  /** The body as it is at this moment: the figures may arrive after the office typed on. */
  currentBody: () => string[];
  setBody: (body: string[]) => void;
  editable: boolean;
  savedWarnings: string[];
}) {
  const { message, modal } = App.useApp();
  const [withInsights, setWithInsights] = useState(false);
  const [inserting, setInserting] = useState(false);
  const query = useStatisticsParagraph(props.roundId, withInsights);
  const imported = query.error instanceof ApiError && query.error.code === 'notice_statistics_imported';
  const warnings = query.data ? checkStatisticsParagraphs(props.body, query.data.statistics) : props.savedWarnings;

  const insert = async () => {
    setInserting(true);
    const fresh = await query.refetch().finally(() => setInserting(false));
    if (!fresh.data) {
      void message.error(`无法生成统计段落：${describeError(fresh.error)}`);
      return;
    }
    const text = fresh.data.text;
    const body = [...props.currentBody()];
    const existing = body.findIndex(isStatisticsParagraph);
    if (existing === -1) {
      // After the opening paragraph (按照……现将……通报), or in place of an empty body.
      if (body.length === 1 && body[0]!.trim() === '') body[0] = text;
      else body.splice(Math.min(1, body.length), 0, text);
      props.setBody(body);
      void message.success(`已插入统计段落（正文第${body.indexOf(text) + 1}段），可直接修改`);
      return;
    }
    if (body[existing] === text) {
      void message.info(`正文第${existing + 1}段的统计段落已是最新数字`);
      return;
    }
    modal.confirm({
      title: `用新生成的统计段落替换正文第${existing + 1}段？`,
      content: '该段的现有文字（包括您对它的修改）将被替换。',
      okText: '替换',
      cancelText: '取消',
      autoFocusButton: 'cancel',
      onOk: () => {
        body[existing] = text;
        props.setBody(body);
        void message.success(`已更新正文第${existing + 1}段的统计段落`);
      },
    });
  };

  if (imported) return null;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 16 }}>
      <Flex gap={8} align="center" wrap>
        <Button icon={<BarChartOutlined />} disabled={!props.editable} loading={inserting} onClick={() => void insert()}>
          插入统计段落
        </Button>
        <Checkbox checked={withInsights} onChange={(event) => setWithInsights(event.target.checked)}>
          附上数据核对结果
        </Checkbox>
        <Typography.Text type="secondary">按本轮报送情况和汇编调度表生成：应报送、按时、逾期、未报送单位数，进度滞后的任务。插入后可修改。</Typography.Text>
      </Flex>
      {query.error && !imported && <Typography.Text type="danger">无法取得本轮统计数字：{describeError(query.error)}</Typography.Text>}
      {warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title="统计段落的数字与本轮现状不符（与调度表核对）："
          description={
            <>
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
              {props.editable && (
                <Button size="small" style={{ marginTop: 8 }} onClick={() => void insert()}>
                  更新统计段落
                </Button>
              )}
            </>
          }
        />
      )}
    </Flex>
  );
}
