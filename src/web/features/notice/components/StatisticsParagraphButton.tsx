import { BarChartOutlined } from '@ant-design/icons';
import { App, Button, type FormInstance } from 'antd';
import { useState } from 'react';
import type { NoticeStatisticsView } from '../../../../domain/api/notice-view.ts';
import { NoticeLimits } from '../../../../domain/limits.ts';
import { api, describeError } from '../../../lib/api.ts';

/**
 * 插入统计段落 (issue 13): asks the server for the paragraph of the round's statistics (units on
 * time, late, missing; lagging tasks, counted from the official table) and puts it into the form as
 * the body's second paragraph, after the opening one, for the office to edit. Nothing is saved
 * until the office saves the notice.
 */
export function StatisticsParagraphButton({ roundId, form, disabled }: { roundId: number; form: FormInstance; disabled: boolean }) {
  const { message } = App.useApp();
  const [loading, setLoading] = useState(false);
  const insert = async () => {
    setLoading(true);
    try {
      const { text } = await api.get<NoticeStatisticsView>(`/api/rounds/${roundId}/notice/statistics`);
      if (text === null) {
        void message.info('本轮由文件导入，没有在系统中报送，不生成统计段落');
        return;
      }
      const body = ((form.getFieldValue('body') as string[] | undefined) ?? []).filter((paragraph, i) => i === 0 || paragraph.trim() !== '');
      if (body.length >= NoticeLimits.body.paragraphs) {
        void message.warning(`正文已有 ${body.length} 段，不能再添加`);
        return;
      }
      form.setFieldValue('body', [body[0] ?? '', text, ...body.slice(1)]);
      void message.success('已插入统计段落（正文第2段），保存通报后生效');
    } catch (error) {
      void message.error(describeError(error));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Button icon={<BarChartOutlined />} loading={loading} disabled={disabled} onClick={() => void insert()}>
      插入统计段落
    </Button>
  );
}
