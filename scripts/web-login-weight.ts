// What a first visit to /login fetches and what it costs on the wire (decision 038): serves a
// built web app with the server's own static serving (registerWebApp: precompressed copies by
// Accept-Encoding), opens /login in Chromium and lists every request with its decoded and
// transferred size. The API is not there (its answers are 404s and are not counted): the login
// page still draws and fetches all its code.
//
//   node --import tsx scripts/web-login-weight.ts [dist/web]
//
// `npm run bench:web` records the same figures in docs/benchmarks.md. DIAODU_CHROMIUM as for the journeys.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { chromium } from 'playwright-core';
import { registerWebApp, sendIndexHtml } from '../src/server/http/static.ts';
import type { ApiApp } from '../src/server/http/types.ts';

export type LoginRequest = { path: string; type: string; encoding: string; decoded: number; wire: number };

/** Every request of a first visit of /login to the built web app in `root`, with its decoded and transferred bytes. */
export async function measureLoginVisit(root: string, chromiumPath = process.env.DIAODU_CHROMIUM ?? '/usr/bin/chromium'): Promise<LoginRequest[]> {
  const app = Fastify();
  if (!(await registerWebApp(app as unknown as ApiApp, root))) throw new Error(`${root} has no index.html: build the web app first`);
  app.setNotFoundHandler((request, reply) => (request.url.startsWith('/api/') ? reply.code(404).send({}) : sendIndexHtml(reply)));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const rows: LoginRequest[] = [];
  try {
    const browser = await chromium.launch({ executablePath: chromiumPath });
    try {
      const page = await browser.newPage();
      const pending: Promise<void>[] = [];
      page.on('requestfinished', (request) => {
        if (new URL(request.url()).pathname.startsWith('/api/')) return;
        pending.push(
          (async () => {
            const response = await request.response();
            if (!response) return;
            const [sizes, body, headers] = await Promise.all([request.sizes(), response.body(), response.allHeaders()]);
            rows.push({
              path: new URL(request.url()).pathname,
              type: request.resourceType(),
              encoding: headers['content-encoding'] ?? '-',
              decoded: body.length,
              wire: sizes.responseBodySize,
            });
          })(),
        );
      });
      await page.goto(`${address}/login`, { waitUntil: 'networkidle' });
      await page.getByRole('button', { name: /登\s*录/ }).waitFor();
      await Promise.all(pending);
    } finally {
      await browser.close();
    }
  } finally {
    await app.close();
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await measureLoginVisit(path.resolve(process.argv[2] ?? 'dist/web'));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  for (const row of rows)
    console.log(`${row.type.padEnd(10)} ${row.encoding.padEnd(5)} ${kb(row.decoded).padStart(10)} ${kb(row.wire).padStart(10)} on the wire  ${row.path}`);
  const total = (key: 'decoded' | 'wire') => rows.reduce((sum, row) => sum + row[key], 0);
  console.log(`/login, first visit: ${rows.length} requests, ${kb(total('decoded'))} decoded, ${kb(total('wire'))} on the wire`);
}
