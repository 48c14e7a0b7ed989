import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildWebInto } from '../../../scripts/build-web-into.ts';
import { totpCode } from '../../../src/server/services/totp.service.ts';
import { DEMO_PASSWORD } from '../../../src/server/services/demo-accounts.ts';
import { SESSION_COOKIE } from '../../../src/server/http/session-cookie.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { createTestServer, type TestServer, type TestServerOptions } from '../../support/test-server.ts';
import { assertAccessible } from './a11y.ts';
import { createDeliveryChannels } from '../../../src/server/delivery/channels/index.ts';
import type { Channel, ChannelKind } from '../../../src/server/delivery/channel.ts';
import { startDeliveryWorker, type DeliveryWorker, type RetryPolicy } from '../../../src/server/delivery/outbox.ts';

/**
 * End-to-end journeys: the real web app, built by vite from the current source, served by the
 * real server on a loopback port over a real SQLite file, driven in Debian's Chromium.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
/**
 * Debian's headless shell (package chromium-headless-shell: Chromium's "old headless", the build
 * Playwright itself uses for headless runs), else Debian's full browser binary. Chromium 156's full
 * browser in headless mode starts WebUI renderers for a browser window nobody sees: the review
 * journey alone took 94 s of CPU in 64 s with it against 73 s in 54 s with the shell (2026-12-06),
 * and the suite is bound by CPU. The binary, not Debian's /usr/bin launchers: the chromium launcher
 * is a shell script that reads /proc/cpuinfo, runs findmnt and sources /etc/chromium.d before it
 * execs the binary (a median 631 ms a launch against 803 ms, 8 launches each, 2026-12-06).
 */
const DEBIAN_BROWSERS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/lib/chromium/chromium'];
const CHROMIUM = process.env.DIAODU_CHROMIUM ?? DEBIAN_BROWSERS.find((binary) => existsSync(binary)) ?? '/usr/bin/chromium';

/** Hash of everything the web build reads, so a build is reused only while the source is unchanged. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(full.slice(ROOT.length)).update(readFileSync(full));
    }
  };
  walk(path.join(ROOT, 'src/web'));
  walk(path.join(ROOT, 'src/domain'));
  hash.update(readFileSync(path.join(ROOT, 'vite.config.ts')));
  hash.update(readFileSync(path.join(ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the web app into a temporary folder named by the source hash (about a minute, once). The
 * test runner starts two journeys at once: the first to come builds, under a lock folder, and the
 * other waits for it rather than building the same thing beside it on the same two cores. The
 * build goes to a folder of its own and is renamed into place, so a half-written build is never used.
 */
export async function buildWebApp(): Promise<string> {
  const outDir = path.join(tmpdir(), `diaodu-e2e-web-${sourceHash()}`);
  const lock = `${outDir}.lock`;
  for (;;) {
    if (existsSync(path.join(outDir, 'index.html'))) return outDir;
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a build that was killed does not stop later runs for long.
      if (Date.now() - statSync(lock).mtimeMs > BUILD_LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (existsSync(path.join(outDir, 'index.html'))) return outDir;
    const building = `${outDir}.building-${process.pid}`;
    await buildWebInto(building);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(building, outDir);
    return outDir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const SCREENSHOT_TIMEOUT_MS = 120_000;

/** Longer than any build takes on a loaded two-core machine. */
const BUILD_LOCK_STALE_MS = 10 * 60_000;

export interface E2eApp {
  server: TestServer;
  database: TestDatabase;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** A seeded SQLite database, the server listening on 127.0.0.1, and Chromium. */
export async function startE2eApp(options: { config?: TestServerOptions['config']; demoCity?: boolean } = {}): Promise<E2eApp> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`bash scripts/test-deps.sh\` (installs Debian's chromium-headless-shell) or set DIAODU_CHROMIUM`);
  const webRoot = await buildWebApp();
  const database = await createTestDatabase('sqlite');
  const server = await createTestServer(database, {
    webRoot,
    ...(options.config ? { config: options.config } : {}),
    ...(options.demoCity ? { demoCity: true } : {}),
  });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await processBrowser();
  return {
    server,
    database,
    baseUrl: address,
    browser,
    async close() {
      // The journey's contexts go (their cookies, pages and storage); the browser serves the next journey of this process.
      await Promise.all(browser.contexts().map((context) => context.close()));
      await server.close();
      await database.dispose();
    },
  };
}

let launched: Promise<Browser> | null = null;

/**
 * One Chromium per test process, closed when the process's tests are done: the runner runs several
 * journeys in one process (scripts/run-tests.mjs), and each launch cost about a second of a core.
 * Journeys run one after another in a process, each in contexts of its own (cookies, storage, cache).
 */
function processBrowser(): Promise<Browser> {
  launched ??= chromium
    .launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The suite is bound by CPU, and most of a journey's is the page's: V8 compiling and
        // optimising the app's code in each new page, and collecting its garbage on helper
        // threads. A journey's pages live seconds, not long enough for optimised code to pay for
        // its compiling: with V8's interpreter and baseline compiler only, one collector thread,
        // one raster thread and the compositor in the browser process, six journeys at three at
        // once took 116–122 s and 207–220 s of CPU where they took 139–141 s and 260–262 s
        // (2026-12-06, decision 036). What the app does is the same; only how fast it runs changes.
        // A page's heap starts at 256 MB, so loading and drawing a page does not collect its
        // garbage over and over while the heap grows (a plan page's load spent 0.65 s of 3.0 s in
        // the collector): three journeys one after the other took 102.6–114.2 s of CPU where they
        // took 116.8–131.0 s (128 MB: 111–113 s, 512 MB: 105 s), with the same peak memory of the
        // browser, 1.6 GB (2026-12-07, decision 036).
        '--js-flags=--no-opt,--no-maglev,--single-threaded-gc,--initial-heap-size=256',
        '--num-raster-threads=1',
        '--in-process-gpu',
      ],
    })
    .then((browser) => {
      browser.on('disconnected', () => {
        launched = null;
      });
      return browser;
    });
  launched.catch(() => {
    launched = null;
  });
  return launched;
}

after(async () => {
  const browser = await launched?.catch(() => null);
  await browser?.close();
});

export type E2eDelivery = DeliveryWorker;

/**
 * Issue 16: the outbox's worker for the app's store, as main.ts runs it (the real channels, the
 * store's own addresses and unsealing), with e-mail sent to `smtpUrl` (a loopback SMTP server) and
 * robots posted wherever the units' addresses point (a loopback stand-in). It polls every `pollMs`
 * (default 300 ms) until `stop()`; `tick()` runs a pass at once. `retry` shortens the backoff so a
 * journey sees a failure settle.
 */
export function startE2eDelivery(app: E2eApp, options: { smtpUrl: string; mailFrom?: string; pollMs?: number; retry?: RetryPolicy }): E2eDelivery {
  const { config, services } = app.server;
  const channels = createDeliveryChannels({ ...config.delivery, smtpUrl: options.smtpUrl, mailFrom: options.mailFrom ?? 'diaodu@example.gov.cn' });
  const worker = startDeliveryWorker({
    database: app.database,
    channels: new Map(channels.kinds.map((kind): [ChannelKind, Channel] => [kind, channels.get(kind)!])),
    workerId: 'e2e-delivery',
    timeZone: config.timeZone,
    publicUrl: app.baseUrl,
    addressesOfUnit: services.deliveryAddresses.outboxAddressesOfUnit,
    openAddress: services.deliveryAddresses.openOutboxAddress,
    pollMs: options.pollMs ?? 300,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  return {
    tick: () => worker.tick(),
    async stop() {
      await worker.stop();
      channels.close();
    },
  };
}

/**
 * Saves a screenshot as a test artifact (test-artifacts/e2e/<journey>/<nn>-<step>.png), then scans
 * the page as shown with axe-core: every page a journey looks at must have no serious or critical
 * WCAG 2.1 AA violation (GB/T 37668-2019; the scan reads the whole page, not only the part shown).
 * `{ a11y: false }` skips the scan for a shot of something that is not a page people use (a
 * print-media emulation, say), and must say why at the call.
 *
 * The shot is the screen as the person sees it (the viewport: 1366×900 at a desk, the phone's on a
 * phone). `{ fullPage: true }` shoots the whole length, for a page read as a document (the print
 * view): Chromium lays a long page out again at its full height for it, and 14 full-page shots
 * took 24.3 s of the plan-editing journey where the same shots of the screen took 2.5 s (2026-12-06).
 */
export function screenshots(journey: string) {
  const folder = path.join(ARTIFACTS, journey);
  mkdirSync(folder, { recursive: true });
  let step = 0;
  return async (page: Page, name: string, options: { a11y?: boolean; fullPage?: boolean } = {}) => {
    step += 1;
    // A full-page shot of a long page on a loaded two-core machine took over Playwright's default 30 s
    // in CI once; it is a picture for people to look at, not a measure of speed.
    await page.screenshot({
      path: path.join(folder, `${String(step).padStart(2, '0')}-${name}.png`),
      fullPage: options.fullPage === true,
      timeout: SCREENSHOT_TIMEOUT_MS,
    });
    if (options.a11y !== false) await assertAccessible(page, `${journey}: ${name}`);
  };
}

/** A fresh browser context (its own cookies, storage and cache) on a desk's screen, in Chinese. */
function deskContext(app: E2eApp) {
  return app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
}

/** A fresh browser context (its own cookies) signed in through the login page. */
export async function signIn(app: E2eApp, username: string, password: string): Promise<Page> {
  const page = await (await deskContext(app)).newPage();
  await page.goto(`${app.baseUrl}/login`);
  await logIn(page, username, password);
  return page;
}

/**
 * A fresh browser context (its own cookies) already signed in, opened at `url`: the session comes
 * from the API's login (as the integration tests sign in) and its cookie is set in the context, so
 * the page loads once, where it is wanted. For a journey whose subject comes after the login;
 * signIn() goes through the login page, for the journeys that test it (the login, a locked login,
 * the redirect back after it, accessibility and the keyboard). `url` is absolute or a path of the
 * app. Through the login page and then on, each such journey loaded and drew two pages more than
 * it looked at.
 */
export async function openSignedIn(app: E2eApp, username: string, url: string, password = DEMO_PASSWORD): Promise<Page> {
  // The helper's client carries `diaodu_session=<token>`, as the login answered it.
  const { cookie } = await app.server.as(username, password);
  const context = await deskContext(app);
  await context.addCookies([{ name: SESSION_COOKIE, value: cookie.slice(`${SESSION_COOKIE}=`.length), url: app.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  await page.goto(new URL(url, app.baseUrl).href);
  return page;
}

/**
 * A demo admin's first login: the app sends it to enrolment, and it binds the authenticator with the
 * secret the page shows, landing on the system admin's accounts page.
 */
export async function signInEnrolled(app: E2eApp, username: string): Promise<Page> {
  const page = await signIn(app, username, DEMO_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/account/totp');
  await page.getByRole('button', { name: '生成密钥' }).click();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  await page.getByLabel('动态验证码').fill(totpCode(secret, new Date()));
  await page.getByRole('button', { name: '确认绑定' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/accounts');
  return page;
}

/**
 * Waits until a form field's value passes `accept`, polling from the test. Not page.waitForFunction with
 * a string: the app's CSP forbids eval, and Playwright evals a string predicate again on every retry,
 * so such a wait fails whenever the value is not there on the first try (eslint refuses it).
 */
export async function waitForValue(field: Locator, accept: (value: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let value = await field.inputValue();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`${field} still holds ${JSON.stringify(value.slice(0, 200))} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await field.inputValue();
  }
  return value;
}

/** Waits until the keyboard focus is inside an open dialog. */
export async function waitForFocusInDialog(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.locator('[role="dialog"]:focus-within').first().waitFor({ timeout: timeoutMs });
}

/** Fills and sends the login form on the current page (the app's own redirect brings the user back). */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/**
 * The first `count` tasks of the demo plan that `unitName` answers alone, in plan order: a round
 * over them is done once that one unit's work is, which keeps a journey short. Fails when the plan
 * has fewer.
 */
export async function tasksAnsweredOnlyBy(app: E2eApp, unitName: string, count: number): Promise<number[]> {
  type TreeTask = { id: number; units: { name: string }[] };
  const tree = await (await app.server.as('office')).get(`/api/plans/${app.server.planId}/tree`);
  const tasks: TreeTask[] = tree.body.chapters.flatMap((c: { sections: { tasks: TreeTask[] }[] }) => c.sections.flatMap((s) => s.tasks));
  const ids = tasks.filter((t) => t.units.length === 1 && t.units[0]!.name === unitName).map((t) => t.id);
  if (ids.length < count) throw new Error(`${unitName} answers ${ids.length} tasks alone, fewer than ${count}`);
  return ids.slice(0, count);
}
