import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { createJsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ImportLimits } from '../../domain/limits.ts';
import type { Config } from '../config.ts';
import type { Directory } from '../organisations/directory.ts';
import { createPlatformServices } from '../organisations/index.ts';
import { createErrorHandler, notFoundReply } from './errors.ts';
import { registerHardening } from './hardening.ts';
import { registerStrictJsonParser } from './json-body.ts';
import { securityHeaders } from './security-headers.ts';
import { routeModules } from './routes/index.ts';
import { createAuthHook, isApi } from './session-cookie.ts';
import { isSpaPage, registerWebApp, sendIndexHtml } from './static.ts';
import type { ApiApp } from './types.ts';
import { configureZodMessages } from '../../domain/zod-messages.ts';
import { requireBodyOfWrites, strictDocumentTransform, strictValidatorCompiler } from './validation.ts';

/** Where `npm run build:web` (vite) writes the web app. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

export type BuildAppOptions = {
  /** Every organisation's services (decision 028); `createOrganisationDirectory` over the home store. */
  directory: Directory;
  config: Config;
  /** Fastify's logger option: false (tests), true, or pino options. */
  logger?: FastifyServerOptions['logger'];
  /** The built web app to serve; default dist/web. null serves none. */
  webRoot?: string | null;
};

/** Fastify's default, stated: answers and drafts are small; imports will use multipart with their own cap. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The HTTP app: the JSON API under /api (zod-validated, documented at /api/openapi.json and
 * /api/docs), sessions and CSRF, security headers, one error envelope, and the built web app
 * with an SPA fallback. Returned ready but not listening: `main.ts` listens, tests `inject`.
 */
export async function buildApp(options: BuildAppOptions): Promise<ApiApp> {
  const { directory, config } = options;
  const services = directory.home.services;
  const platform = createPlatformServices({ directory, now: directory.now, timeZone: config.timeZone });
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    // Request ids in logs and 500 answers, so a user's report can be matched to a log line.
    genReqId: () => randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  configureZodMessages();
  // Bodies and query strings strict (an unknown field is refused, naming it), an absent body read as {}.
  app.setValidatorCompiler(strictValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', requireBodyOfWrites);
  app.setErrorHandler(createErrorHandler(services));
  registerStrictJsonParser(app);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('auth', null as never);
  app.decorateRequest('services', null as never);
  app.decorateRequest('organisation', null as never);

  await app.register(fastifyCookie);
  const headers = securityHeaders({ tls: config.tls });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  // Uploads (POST /api/imports): one file of at most ImportLimits.fileBytes, read into memory by the route.
  await app.register(fastifyMultipart, { limits: { fileSize: ImportLimits.fileBytes, files: 1, fields: 0, parts: 1 } });
  await registerHardening(app, directory.home.database);
  // Hooks on the root instance, before any plugin with routes: they reach every route.
  app.addHook('onRequest', createAuthHook(directory));
  // A callback, not an async hook: no promise and no extra turn for every answer.
  app.addHook('onSend', (request, reply, payload, done) => {
    // Answers carry personal and unpublished data: no browser or proxy keeps a copy.
    if (isApi(request.url)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'diaodu 调度 API',
        description: '任务分工与推进调度系统的 JSON API。登录后浏览器携带 diaodu_session Cookie；所有写请求须在 x-csrf-token 头中回传登录时得到的 csrfToken。',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'diaodu_session' } } },
      security: [{ session: [] }],
    },
    transform: strictDocumentTransform(createJsonSchemaTransform({ skipList: [] })),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => (config.tls ? header : header.replace(/\s*upgrade-insecure-requests;?/, '')),
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const register of routeModules) register(app, { config, directory, platform });

  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;
  const serving = await registerWebApp(app, webRoot);

  app.setNotFoundHandler(async (request, reply) => {
    if (!isApi(request.url) && serving && isSpaPage(request)) return sendIndexHtml(reply);
    const { status, body } = notFoundReply();
    if (!isApi(request.url) && !serving && isSpaPage(request)) body.error.message += '；网页尚未构建，请运行 npm run build:web 或 npm start';
    return reply.code(status).send(body);
  });

  await app.ready();
  return app;
}
