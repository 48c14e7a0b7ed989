import { Flex, Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';

/** The page's heading, also the browser tab's title. */
export function PageTitle({ title, extra, subtitle }: { title: string; extra?: ReactNode; subtitle?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} - 调度`;
  }, [title]);
  return (
    <Flex justify="space-between" align="flex-start" wrap gap={8} style={{ marginBottom: 16 }}>
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
      </div>
      {extra && (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
