import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from '../lib/query-client.ts';
import { router } from './router.tsx';

dayjs.locale('zh-cn');

const theme = {
  token: { colorPrimary: '#1f4e8c', borderRadius: 6 },
};

/** Providers around every page: Chinese locale, antd message/modal context, the query cache. */
export function App() {
  return (
    // No space inside two-character labels (antd would render 登录 as “登 录”, and its accessible
    // name with it): people and tests look for the word.
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
