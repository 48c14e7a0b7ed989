import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../domain/dates.ts';
import { invalid } from '../domain/errors.ts';

/**
 * The server's configuration, parsed once from the environment at start-up and passed in.
 * Nothing else reads `process.env`: a bad deployment fails here, listing every bad variable
 * at once, instead of failing later at the first request that happens to need the value.
 */

/** `sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…`. */
export const databaseUrlSchema = z.string().refine(
  (url) => {
    if (url.startsWith('sqlite:')) return url.length > 'sqlite:'.length;
    if (!/^postgres(?:ql)?:\/\//.test(url) || !URL.canParse(url)) return false;
    const parsed = new URL(url);
    // A host, or a Unix socket folder given as `?host=/var/run/postgresql`.
    return parsed.hostname !== '' || parsed.searchParams.has('host');
  },
  { message: '应为 sqlite:<文件路径>、sqlite::memory: 或 postgres://用户:密码@主机:端口/数据库' },
);

// An empty variable (`PORT=`) means "not set", as shells and .env files commonly write it.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const booleanSchema = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: '应为 true 或 false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInteger = (unit: string, max: number) => {
  const message = `应为 1–${max} 的整数（${unit}）`;
  return z.string().regex(/^\d+$/, message).transform(Number).pipe(z.number().int().min(1, message).max(max, message));
};

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465`. */
export const smtpUrlSchema = z
  .string()
  .trim()
  .refine((url) => URL.canParse(url) && ['smtp:', 'smtps:'].includes(new URL(url).protocol) && new URL(url).hostname !== '', {
    message: '应为 smtp://用户:密码@主机:587 或 smtps://用户:密码@主机:465（用户名或密码中的特殊字符需按网址编码）',
  });

/** `diaodu@example.gov.cn` or `调度系统 <diaodu@example.gov.cn>`. */
export const mailFromSchema = z
  .string()
  .trim()
  .regex(
    /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
    '应为电子邮件地址，如 diaodu@example.gov.cn 或 调度系统 <diaodu@example.gov.cn>',
  );

/** Where people reach diaodu: links in e-mail and robot messages start with it. */
export const publicUrlSchema = z
  .string()
  .trim()
  .refine(
    (url) =>
      URL.canParse(url) &&
      ['http:', 'https:'].includes(new URL(url).protocol) &&
      new URL(url).hostname !== '' &&
      new URL(url).search === '' &&
      new URL(url).hash === '',
    {
      message: '应为用户访问本系统的网址，如 https://diaodu.example.gov.cn（不带 ? 或 #）',
    },
  )
  .transform((url) => url.replace(/\/+$/, ''));

const envSchema = z.object({
  DIAODU_DATABASE_URL: z.preprocess(unsetIfEmpty, databaseUrlSchema.default('sqlite:./data/diaodu.db')),
  PORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, '应为端口号 1–65535')
      .transform(Number)
      .pipe(z.number().int().min(1, '应为端口号 1–65535').max(65_535, '应为端口号 1–65535'))
      .default(3000),
  ),
  HOST: z.preprocess(unsetIfEmpty, z.string().trim().min(1).default('127.0.0.1')),
  DIAODU_TLS: z.preprocess(unsetIfEmpty, booleanSchema.default(false)),
  DIAODU_TRUST_PROXY: z.preprocess(unsetIfEmpty, booleanSchema.default(false)),
  DIAODU_SESSION_IDLE_MINUTES: z.preprocess(unsetIfEmpty, positiveInteger('分钟', 24 * 60).default(30)),
  DIAODU_SESSION_ABSOLUTE_HOURS: z.preprocess(unsetIfEmpty, positiveInteger('小时', 7 * 24).default(12)),
  DIAODU_LOGIN_MAX_FAILURES: z.preprocess(unsetIfEmpty, positiveInteger('次', 100).default(5)),
  DIAODU_LOGIN_LOCK_MINUTES: z.preprocess(unsetIfEmpty, positiveInteger('分钟', 24 * 60).default(30)),
  DIAODU_LOGIN_IP_MAX_FAILURES: z.preprocess(unsetIfEmpty, positiveInteger('次', 10_000).default(10)),
  DIAODU_LOGIN_IP_WINDOW_MINUTES: z.preprocess(unsetIfEmpty, positiveInteger('分钟', 24 * 60).default(15)),
  DIAODU_PASSWORD_MIN_LENGTH: z.preprocess(unsetIfEmpty, positiveInteger('位', 64).pipe(z.number().min(8, '至少应为 8 位')).default(8)),
  DIAODU_PASSWORD_MIN_CLASSES: z.preprocess(unsetIfEmpty, positiveInteger('类', 4).default(3)),
  DIAODU_PASSWORD_HISTORY: z.preprocess(
    unsetIfEmpty,
    z.string().regex(/^\d+$/, '应为 0–24 的整数').transform(Number).pipe(z.number().int().min(0, '应为 0–24 的整数').max(24, '应为 0–24 的整数')).default(5),
  ),
  DIAODU_PASSWORD_MAX_AGE_DAYS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, '应为 0（不过期）或不超过 3650 的天数')
      .transform(Number)
      .pipe(z.number().int().max(3650, '应为 0（不过期）或不超过 3650 的天数'))
      .default(0),
  ),
  DIAODU_TOTP_KEY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, '应为 64 位十六进制数字（256 位密钥，如 `openssl rand -hex 32` 的输出）')
      .optional(),
  ),
  DIAODU_EXPORT_RATE_LIMIT: z.preprocess(unsetIfEmpty, positiveInteger('次/分钟', 10_000).default(20)),
  DIAODU_EXPORT_TIMEOUT_SECONDS: z.preprocess(unsetIfEmpty, positiveInteger('秒', 3_600).default(300)),
  DIAODU_SOFFICE: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((value) => value.startsWith('/'), '应为 LibreOffice 的 soffice 的绝对路径')
      .optional(),
  ),
  DIAODU_DEMO: z.preprocess(unsetIfEmpty, booleanSchema.default(true)),
  DIAODU_STORE_POOL_MAX: z.preprocess(unsetIfEmpty, positiveInteger('个连接', 100).default(4)),
  DIAODU_TIME_ZONE: z.preprocess(unsetIfEmpty, z.string().trim().refine(isTimeZone, '应为 IANA 时区名称，如 Asia/Shanghai').default(DEFAULT_TIME_ZONE)),
  DIAODU_LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: '应为 fatal、error、warn、info、debug、trace 或 silent' })
      .default('info'),
  ),
  DIAODU_SMTP_URL: z.preprocess(unsetIfEmpty, smtpUrlSchema.optional()),
  DIAODU_MAIL_FROM: z.preprocess(unsetIfEmpty, mailFromSchema.optional()),
  DIAODU_PUBLIC_URL: z.preprocess(unsetIfEmpty, publicUrlSchema.optional()),
  DIAODU_OUTBOX_KEEP_DAYS: z.preprocess(unsetIfEmpty, positiveInteger('天', 3650).default(180)),
});

export type Config = {
  /** Where the data lives; the engine follows from the scheme. */
  databaseUrl: string;
  port: number;
  host: string;
  /**
   * The app is reached over HTTPS (directly or through a TLS-terminating proxy): session
   * cookies get `Secure` and answers carry HSTS. Off by default for `http://127.0.0.1`.
   */
  tls: boolean;
  /** Take the client address from `X-Forwarded-For` (only behind a proxy you run). */
  trustProxy: boolean;
  session: {
    /** A session unused this long ends (docs/promises.md: 30 min). */
    idleMinutes: number;
    /** A session ends this long after login, used or not (docs/promises.md: 12 h). */
    absoluteHours: number;
  };
  login: {
    /** Consecutive failed logins that lock an account… */
    maxFailures: number;
    /** …for this long. */
    lockMinutes: number;
    /**
     * Failed logins from one client address within `ipWindowMinutes` after which that address
     * gets 429 (any account, right password or not) until the window moves on. Default 10 per
     * 15 minutes: at most two accounts locked per window from one address (decision 010).
     */
    ipMaxFailures: number;
    ipWindowMinutes: number;
  };
  /** Defaults of the password policy; the security admin may tighten or change them at run time. */
  passwordPolicy: {
    minLength: number;
    /** Of lower case, upper case, digits, symbols. */
    minClasses: number;
    /** A new password may not be any of the last this many (0: no check). */
    history: number;
  };
  /**
   * A password older than this many days (since it was set) must be changed at the next login:
   * that session is restricted to the change, as after a reset (等保 8.1.4.1 a, 定期更换). 0: never.
   */
  passwordMaxAgeDays: number;
  /** 256-bit key (hex) sealing TOTP secrets in the database (AES-256-GCM); unset: stored unsealed, with a warning. */
  totpKey: string | null;
  /** Exports (audit CSV, documents) one user may start a minute; more get 429 (http/hardening.ts). */
  exports: {
    perMinute: number;
    /** Longest one export may render, and a PDF convert (each on its own); beyond it the job fails `export_timeout` / `pdf_timeout`. */
    timeoutMs: number;
    /** LibreOffice's soffice for PDF exports; null: looked up on PATH (`soffice`, `libreoffice`). LibreOffice's own packages install outside PATH. */
    soffice: string | null;
  };
  /**
   * The department's time zone (IANA name): times in messages are shown on its wall clock
   * (`2017年10月16日 17:00`), and a deadline typed as a day ends at midnight there.
   */
  timeZone: string;
  /** PostgreSQL connections of each organisation's store but the home one (decision 028): 22 organisations fit in 100. */
  storePoolMax: number;
  /** Load the seed document and the demo accounts on first start (a database with no accounts). */
  demo: boolean;
  /** The server's log level (pino): one JSON line per request at `info`. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Delivery beyond the app (issue 16). */
  delivery: {
    /** SMTP server for e-mail (`smtp://user:pass@host:587`, STARTTLS when offered); null: no e-mail is sent. */
    smtpUrl: string | null;
    /** The From of every e-mail; set whenever smtpUrl is. */
    mailFrom: string | null;
    /** Base of the links in e-mail and robot messages (no trailing slash); null: messages carry no link. */
    publicUrl: string | null;
  };
  /** DIAODU_OUTBOX_KEEP_DAYS: sent messages, and settled reminders of rounds no longer open, are deleted this many days on (failed ones stay). */
  outboxKeepDays: number;
};

/** Parses the configuration; throws `invalid('config_invalid')` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems: { variable: string; message: string }[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      }));
  // E-mail needs both a server to send through and the address it sends as (checked beside the rest, so listed with them).
  if (unsetIfEmpty(env.DIAODU_SMTP_URL) !== undefined && unsetIfEmpty(env.DIAODU_MAIL_FROM) === undefined)
    problems.push({ variable: 'DIAODU_MAIL_FROM', message: '设置了 DIAODU_SMTP_URL 时必须设置发件地址' });
  if (!parsed.success || problems.length > 0) {
    const lines = problems.map((problem) => `  ${problem.variable}: ${problem.message}`);
    throw invalid('config_invalid', `配置错误：\n${lines.join('\n')}`, {
      variables: problems.map((problem) => problem.variable),
      problems,
    });
  }
  const values = parsed.data;
  return {
    databaseUrl: values.DIAODU_DATABASE_URL,
    port: values.PORT,
    host: values.HOST,
    tls: values.DIAODU_TLS,
    trustProxy: values.DIAODU_TRUST_PROXY,
    session: { idleMinutes: values.DIAODU_SESSION_IDLE_MINUTES, absoluteHours: values.DIAODU_SESSION_ABSOLUTE_HOURS },
    login: {
      maxFailures: values.DIAODU_LOGIN_MAX_FAILURES,
      lockMinutes: values.DIAODU_LOGIN_LOCK_MINUTES,
      ipMaxFailures: values.DIAODU_LOGIN_IP_MAX_FAILURES,
      ipWindowMinutes: values.DIAODU_LOGIN_IP_WINDOW_MINUTES,
    },
    passwordPolicy: {
      minLength: values.DIAODU_PASSWORD_MIN_LENGTH,
      minClasses: values.DIAODU_PASSWORD_MIN_CLASSES,
      history: values.DIAODU_PASSWORD_HISTORY,
    },
    passwordMaxAgeDays: values.DIAODU_PASSWORD_MAX_AGE_DAYS,
    totpKey: values.DIAODU_TOTP_KEY?.toLowerCase() ?? null,
    exports: { perMinute: values.DIAODU_EXPORT_RATE_LIMIT, timeoutMs: values.DIAODU_EXPORT_TIMEOUT_SECONDS * 1000, soffice: values.DIAODU_SOFFICE ?? null },
    timeZone: values.DIAODU_TIME_ZONE,
    demo: values.DIAODU_DEMO,
    storePoolMax: values.DIAODU_STORE_POOL_MAX,
    logLevel: values.DIAODU_LOG_LEVEL,
    delivery: {
      smtpUrl: values.DIAODU_SMTP_URL ?? null,
      mailFrom: values.DIAODU_MAIL_FROM ?? null,
      publicUrl: values.DIAODU_PUBLIC_URL ?? null,
    },
    outboxKeepDays: values.DIAODU_OUTBOX_KEEP_DAYS,
  };
}
