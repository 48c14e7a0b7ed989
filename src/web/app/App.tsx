import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from '../lib/query-client.ts';
import { router } from './router.tsx';

dayjs.locale('zh-cn');

/**
 * Grey text people must read, at contrast 4.5:1 or more (GB/T 37668-2019, WCAG 2.1 AA 1.4.3) on
 * white and on the page's #f5f5f5 alike: antd's tertiary grey (45% black, 3.4:1) is what its
 * secondary text, descriptions, breadcrumbs, placeholders and table hints use. 56% black is
 * #707070 on white (4.9:1) and 4.6:1 on #f5f5f5. Disabled fields get the same grey: a closed
 * round's notice is shown in disabled fields and is still read.
 */
const READABLE_GREY = 'rgba(0, 0, 0, 0.56)';

/**
 * Coloured text at 4.5:1 or more. Links are the app's blue (antd takes them from its info blue,
 * #1677ff: 4.1:1); danger text and buttons a deeper red (#ff4d4f is 3.3:1). A tag's text is its
 * colour's shade 7 on shade 1: for these colours that is 2.1–4.4:1, so they take shade 8 or 9
 * (red, blue, geekblue, purple and magenta pass as they are).
 */
const TAG_TEXT = { volcano: '#ad2102', orange: '#ad4e00', gold: '#874d00', yellow: '#876800', lime: '#3f6600', green: '#237804', cyan: '#006d75' };

/**
 * Status tags (成功, 处理中, 警告) write their text in the status colour itself on its lightest
 * tint: #52c41a, #1677ff and #faad14 are 2.2, 3.7 and 1.7:1 there. The statuses take a darker
 * shade; their backgrounds and borders stay the usual light tints (antd would derive greyish ones
 * from a dark colour).
 */
const READABLE_STATUS = {
  colorSuccess: '#237804',
  colorSuccessBg: '#f6ffed',
  colorSuccessBgHover: '#d9f7be',
  colorSuccessBorder: '#b7eb8f',
  colorSuccessBorderHover: '#95de64',
  colorInfo: '#0958d9',
  colorWarning: '#874d00',
  colorWarningBg: '#fffbe6',
  colorWarningBgHover: '#fff1b8',
  colorWarningBorder: '#ffe58f',
  colorWarningBorderHover: '#ffd666',
};

const READABLE_COLOURS = {
  ...READABLE_STATUS,
  colorLink: '#1f4e8c',
  // Hovered and pressed links stay as readable as resting ones (antd lightens them to 4.1:1).
  colorLinkHover: '#163a69',
  colorLinkActive: '#163a69',
  colorError: '#cf1322',
  colorWarningText: '#874d00',
  colorSuccessText: '#237804',
  // antd keeps each shade under two names (green7 and green-7) that become one CSS variable: set both.
  ...Object.fromEntries(
    Object.entries(TAG_TEXT).flatMap(([colour, text]) => [
      [`${colour}7`, text],
      [`${colour}-7`, text],
    ]),
  ),
};

const theme = {
  token: {
    // No motion, app-wide. antd animates things in and out (a button's loading spinner, dialogs,
    // menus, messages) and removes them when the browser reports the transition's end; on a busy
    // machine that report can be missed, and the spinner stayed in the 保存 button after the save
    // (its name became "loading 保存"). Without motion antd swaps them at once: nothing waits on
    // an event that may not come, and nothing moves for people who get dizzy from it (WCAG 2.3.3).
    // Spinners still turn: that is a CSS animation of its own, not antd's motion.
    motion: false,
    colorPrimary: '#1f4e8c',
    borderRadius: 6,
    colorTextTertiary: READABLE_GREY,
    colorTextDescription: READABLE_GREY,
    colorTextPlaceholder: READABLE_GREY,
    colorTextDisabled: READABLE_GREY,
    ...READABLE_COLOURS,
  },
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
