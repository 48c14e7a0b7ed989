import { Button, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ApiError, describeError } from '../lib/api.ts';

/** Loading and error states of a page's main query, the same everywhere. */
export function QueryState({ isPending, error, retry, children }: { isPending: boolean; error: unknown; retry?: () => void; children: () => ReactNode }) {
  if (error) {
    const status = error instanceof ApiError && (error.status === 403 || error.status === 404) ? String(error.status) : 'error';
    return (
      <Result
        status={status as '403' | '404' | 'error'}
        title={error instanceof ApiError && error.status === 403 ? '没有权限' : error instanceof ApiError && error.status === 404 ? '未找到' : '加载失败'}
        subTitle={describeError(error)}
        extra={retry ? <Button onClick={retry}>重试</Button> : undefined}
      />
    );
  }
  if (isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  return <>{children()}</>;
}
