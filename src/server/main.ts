import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../domain/actor.ts';
import { isDomainError } from '../domain/errors.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, redactUrl } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { withStartupLock } from './db/startup-lock.ts';
import { createDeliveryChannels } from './delivery/channels/index.ts';
import { startDeliveryWorkers, type DeliveryWorkers } from './delivery/workers.ts';
import { buildApp, DEFAULT_WEB_ROOT } from './http/app.ts';
import { createOrganisationDirectory, type Directory } from './organisations/directory.ts';
import { loadDemoOrganisations } from './organisations/demo-organisations.ts';
import { describeDemoLogins } from './services/demo-accounts.ts';

/**
 * The composition root behind `npm start`: configuration (once), the web app (built if
 * missing), the database (opened and migrated), the demo data on first start, the services,
 * the HTTP app, and a graceful stop on SIGINT/SIGTERM.
 */

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }

  await buildWebAppIfMissing();

  const database = await openDatabase(config.databaseUrl);
  let stopping = false;
  let directory: Directory | null = null;
  let workers: DeliveryWorkers | null = null;
  const channels = createDeliveryChannels(config.delivery);
  try {
    const { applied } = await migrateToLatest(database.db);
    say(`数据库 database: ${redactUrl(config.databaseUrl)} (${database.dialect})${applied.length ? `, migrated: ${applied.join(', ')}` : ''}`);

    // Every organisation's store beside the home one (decision 028); the home store's services are what they were.
    directory = await createOrganisationDirectory({ home: database, homeUrl: config.databaseUrl, config });
    const services = directory.home.services;
    // Several servers started together on an empty PostgreSQL database: one loads, the others wait and find it loaded.
    const loaded = directory;
    await withStartupLock(database, 'demo-data', async () => {
      if (!config.demo || !(await services.demo.hasNoAccounts())) return;
      say('首次启动：载入演示数据 first start: loading the demo data (seed document, a second organisation and demo accounts)…');
      const { home, city } = await loadDemoOrganisations(loaded, systemActor('demo'));
      say(`  ${home.plan.outcome.message}`);
      say(`  ${city.organisation.name}：${city.plan.outcome.message}`);
      say(`  演示账号 demo accounts created: ${home.accounts.created.length + city.accounts.created.length}`);
    });

    if (!config.demo && (await services.demo.hasNoAccounts()))
      say(
        '尚无账号：请用 `npx diaodu user add --username admin --name 系统管理员 --role system_admin` 创建首位管理员（打印临时密码，首次登录须修改）(no accounts yet: create the first admin with diaodu user add)',
      );
    if (config.totpKey === null) say('提示 warning: 未设置 DIAODU_TOTP_KEY，动态验证码密钥与群机器人地址、签名密钥将不加密保存');
    const app = await buildApp({ directory, config, logger: { level: config.logLevel } });
    await app.listen({ host: config.host, port: config.port });
    // The outbox's worker, one per organisation's store (issue 16, decision 035): reminders and messages go out from here.
    workers = await startDeliveryWorkers({
      directory,
      config,
      channels,
      onError: (organisation, error) => app.log.error({ err: error, organisation }, 'delivery worker'),
    });

    const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
    say('');
    say(`diaodu 调度 已启动 is running: http://${shown}:${config.port}/`);
    say(`  API 文档 docs: http://${shown}:${config.port}/api/docs (登录后 after login)`);
    if (config.demo) say(describeDemoLogins());
    say('按 Ctrl+C 停止');

    const stop = async (signal: string) => {
      if (stopping) {
        say(`${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      say(`${signal}: 正在停止 stopping (finishing requests in flight)…`);
      try {
        await app.close();
        await workers?.stop();
        channels.close();
        await directory?.close();
        await database.close();
        process.exit(0);
      } catch (error) {
        process.stderr.write(`error while stopping: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      }
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    await workers?.stop().catch(() => {});
    channels.close();
    await directory?.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * `npm start` on a fresh clone builds the web app once, with the project's vite config, so the
 * first command a newcomer runs shows the app. Later starts find dist/web and skip this.
 */
async function buildWebAppIfMissing(): Promise<void> {
  if (existsSync(path.join(DEFAULT_WEB_ROOT, 'index.html'))) return;
  const configFile = path.join(PROJECT_ROOT, 'vite.config.ts');
  if (!existsSync(configFile)) {
    say('网页未构建且没有 vite.config.ts：只提供 API');
    return;
  }
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    say('网页未构建，且未安装 vite（npm ci --omit=dev?）：只提供 API');
    return;
  }
  say('构建网页 building the web app (first start only)…');
  const started = Date.now();
  const loaded = await vite.loadConfigFromFile({ command: 'build', mode: 'production' }, configFile, PROJECT_ROOT);
  const userConfig = loaded?.config ?? {};
  // The config's `root` is relative to the project, but vite resolves it against the current
  // folder: resolve it here, so `npm start` works from anywhere.
  await vite.build({ ...userConfig, root: path.resolve(PROJECT_ROOT, userConfig.root ?? '.'), configFile: false, logLevel: 'warn', mode: 'production' });
  say(`  网页已构建 built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  if (isDomainError(error)) process.stderr.write(`${error.message}\n`);
  else if ((error as { code?: string }).code === 'EADDRINUSE')
    process.stderr.write(`端口已被占用 the port is in use: ${(error as Error).message}. Set PORT to another port.\n`);
  else process.stderr.write(`diaodu failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
