import { Spin } from 'antd';

/** While a page's code or session loads. */
export function PageLoading({ top = 96 }: { top?: number }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: top }} role="status" aria-label="正在加载">
      <Spin size="large" />
    </div>
  );
}
