import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from './types.ts';

/** What the build writes beside a text file (decision 038): `x.js.br`, `x.js.gz`. */
const COMPRESSED_SUFFIX = /\.(br|gz)$/;

/**
 * Serves the built web app (dist/web) when it exists. Hashed files under /assets are cached
 * for a year; index.html never is, so a new build reaches every browser at the next load.
 *
 * The build writes every text file a second and third time, brotli- and gzip-compressed
 * (decision 038): `preCompressed` answers a request with the best one its Accept-Encoding takes
 * (`Content-Encoding: br`, then gzip, else the file itself), always with `Vary: Accept-Encoding`
 * so a shared cache keeps them apart. Nothing is compressed per request.
 */
export async function registerWebApp(app: ApiApp, webRoot: string | null): Promise<boolean> {
  if (!webRoot || !existsSync(path.join(webRoot, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    preCompressed: true,
    setHeaders(reply, sentPath) {
      // The path of the file sent: `index.html.br` when the compressed one was chosen.
      const filePath = sentPath.replace(COMPRESSED_SUFFIX, '');
      if (filePath.endsWith('index.html')) reply.header('cache-control', 'no-cache');
      else if (filePath.includes(`${path.sep}assets${path.sep}`)) reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  return true;
}

/**
 * SPA fallback: a GET for a page path the server does not know (`/rounds/3/board`) answers
 * index.html and the web app's router takes over. A missing file with an extension
 * (`/assets/x.js`) stays 404: an HTML answer there only hides the broken link.
 */
export function isSpaPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = request.url.split('?')[0] ?? '/';
  return path.posix.extname(pathname) === '';
}

export function sendIndexHtml(reply: FastifyReply) {
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
}
