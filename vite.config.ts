import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The web app: source in src/web, built into dist/web, which the server serves with an SPA
 * fallback. In development `/api` goes to the server on port 3000, so the app talks to one
 * origin in both cases (cookies and CSRF work the same way).
 */
const vendorGroups: { name: string; test: RegExp; priority: number }[] = [
  // A group takes its modules' dependencies along, so the most shared libraries claim theirs
  // first: otherwise React would land in the charts chunk and every page would preload it.
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|cookie|set-cookie-parser)[\\/]/, priority: 50 },
  { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs|@babel[\\/]runtime|classnames|clsx)[\\/]/, priority: 40 },
  // Charts are used by the board only: kept out of everything else.
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor|tslib|fast-deep-equal)[\\/]/, priority: 30 },
  { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
];

export default defineConfig({
  root: 'src/web',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Rolldown's successor of Rollup's manualChunks.
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: { host: '127.0.0.1', port: 4173, proxy: { '/api': { target: 'http://127.0.0.1:3000' } } },
});
