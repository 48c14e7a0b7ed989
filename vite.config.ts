import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { webBudget } from './scripts/web-budget.ts';

/**
 * The web app: source in src/web, built into dist/web, which the server serves with an SPA
 * fallback. In development `/api` goes to the server on port 3000, so the app talks to one
 * origin in both cases (cookies and CSRF work the same way).
 *
 * Decision 038, a light web entry: every text file is also written brotli- and gzip-compressed
 * (`x.js.br`, `x.js.gz`, best levels, once at build time) and the server picks one by the
 * request's Accept-Encoding; antd is not forced into one chunk (each page takes the components it
 * uses, the shared ones land in shared chunks) and the signed-in shell loads lazily, so the login
 * page fetches only what it draws. `webBudget()` fails the build when the login entry (the HTML's
 * script, module preloads and stylesheets) is over 300 KB brotli.
 */
const vendorGroups: { name: string; test: RegExp; priority: number }[] = [
  // A group takes its modules' dependencies along, so the most shared libraries claim theirs
  // first: otherwise React would land in the charts chunk and every page would preload it.
  // No group for antd and no catch-all vendor group (decision 038): a group is all or nothing, and
  // the entry imports antd's ConfigProvider, so either one made all of antd (1.1 MB) part of the entry.
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|cookie|set-cookie-parser)[\\/]/, priority: 50 },
  // Charts are used by the board only: kept out of everything else.
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor|tslib|fast-deep-equal)[\\/]/, priority: 30 },
];

export default defineConfig({
  root: 'src/web',
  publicDir: false,
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], logLevel: 'silent' }), webBudget()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
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
