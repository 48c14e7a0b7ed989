import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDomainError } from '../domain/errors.ts';
import { loadConfig } from './config.ts';

function configError(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(isDomainError(error), 'a DomainError');
    return error;
  }
  assert.fail('expected loadConfig to throw');
}

describe('loadConfig', () => {
  const defaults = {
    databaseUrl: 'sqlite:./data/diaodu.db',
    port: 3000,
    host: '127.0.0.1',
    tls: false,
    trustProxy: false,
    session: { idleMinutes: 30, absoluteHours: 12 },
    login: { maxFailures: 5, lockMinutes: 30, ipMaxFailures: 10, ipWindowMinutes: 15 },
    passwordPolicy: { minLength: 8, minClasses: 3, history: 5 },
    passwordMaxAgeDays: 0,
    totpKey: null,
    exports: { perMinute: 20, timeoutMs: 300_000, soffice: null },
    timeZone: 'Asia/Shanghai',
    demo: true,
    storePoolMax: 4,
    logLevel: 'info',
    delivery: { smtpUrl: null, mailFrom: null, publicUrl: null },
    outboxKeepDays: 180,
  };

  test('defaults: SQLite file under ./data, 127.0.0.1:3000, sessions 30 min idle / 12 h, lock after 5 failures for 30 min', () => {
    assert.deepEqual(loadConfig({}), defaults);
  });

  test('reads only the env object it is given', () => {
    assert.deepEqual(loadConfig({ PORT: '8080', HOST: '0.0.0.0', UNRELATED: 'x' }), { ...defaults, port: 8080, host: '0.0.0.0' });
  });

  test('reads TLS, proxy, session, login and demo settings', () => {
    const config = loadConfig({
      DIAODU_TLS: 'true',
      DIAODU_TRUST_PROXY: '1',
      DIAODU_SESSION_IDLE_MINUTES: '15',
      DIAODU_SESSION_ABSOLUTE_HOURS: '8',
      DIAODU_LOGIN_MAX_FAILURES: '3',
      DIAODU_LOGIN_LOCK_MINUTES: '60',
      DIAODU_DEMO: 'no',
      DIAODU_LOG_LEVEL: 'warn',
    });
    assert.deepEqual(config, {
      ...defaults,
      tls: true,
      trustProxy: true,
      session: { idleMinutes: 15, absoluteHours: 8 },
      login: { maxFailures: 3, lockMinutes: 60, ipMaxFailures: 10, ipWindowMinutes: 15 },
      demo: false,
      logLevel: 'warn',
    });
  });

  test('refuses unreadable booleans and durations, naming each variable', () => {
    const error = configError({ DIAODU_TLS: 'maybe', DIAODU_SESSION_IDLE_MINUTES: '0', DIAODU_LOGIN_MAX_FAILURES: 'five' });
    assert.deepEqual(error.details.variables, ['DIAODU_TLS', 'DIAODU_SESSION_IDLE_MINUTES', 'DIAODU_LOGIN_MAX_FAILURES']);
    assert.match(error.message, /DIAODU_TLS: 应为 true 或 false/);
  });

  test('the department time zone: an IANA name, Asia/Shanghai by default; an unknown one is refused', () => {
    assert.equal(loadConfig({ DIAODU_TIME_ZONE: 'Asia/Urumqi' }).timeZone, 'Asia/Urumqi');
    assert.equal(loadConfig({ DIAODU_TIME_ZONE: '' }).timeZone, 'Asia/Shanghai');
    const error = configError({ DIAODU_TIME_ZONE: 'China/Beijing' });
    assert.deepEqual(error.details.variables, ['DIAODU_TIME_ZONE']);
    assert.match(error.message, /DIAODU_TIME_ZONE: 应为 IANA 时区名称/);
  });

  test('how long sent messages are kept: 180 days by default, a whole number of days up to 3650', () => {
    assert.equal(loadConfig({}).outboxKeepDays, 180);
    assert.equal(loadConfig({ DIAODU_OUTBOX_KEEP_DAYS: '30' }).outboxKeepDays, 30);
    const error = configError({ DIAODU_OUTBOX_KEEP_DAYS: '0' });
    assert.deepEqual(error.details.variables, ['DIAODU_OUTBOX_KEEP_DAYS']);
    assert.match(error.message, /DIAODU_OUTBOX_KEEP_DAYS: 应为 1–3650 的整数（天）/);
  });

  test('empty variables count as unset', () => {
    assert.deepEqual(loadConfig({ DIAODU_DATABASE_URL: '', PORT: '', HOST: '' }), loadConfig({}));
  });

  test('accepts every supported database URL', () => {
    for (const url of [
      'sqlite::memory:',
      'sqlite:/var/lib/diaodu/diaodu.db',
      'sqlite:./data/other.db',
      'postgres://diaodu:secret@db.example:5432/diaodu',
      'postgresql://diaodu@localhost/diaodu?sslmode=require',
    ])
      assert.equal(loadConfig({ DIAODU_DATABASE_URL: url }).databaseUrl, url);
  });

  test('one error lists every bad variable, and only those', () => {
    const error = configError({ DIAODU_DATABASE_URL: 'mysql://root@localhost/x', PORT: '70000', HOST: 'localhost' });
    assert.equal(error.code, 'config_invalid');
    assert.equal(error.kind, 'invalid');
    assert.deepEqual(error.details.variables, ['DIAODU_DATABASE_URL', 'PORT']);
    assert.match(error.message, /DIAODU_DATABASE_URL: 应为 sqlite:/);
    assert.match(error.message, /PORT: 应为端口号 1–65535/);
    assert.doesNotMatch(error.message, /HOST/);
  });

  test('refuses non-numeric and zero ports, a bare sqlite: and an unparseable postgres URL', () => {
    assert.deepEqual(configError({ PORT: '80abc' }).details.variables, ['PORT']);
    assert.deepEqual(configError({ PORT: '0' }).details.variables, ['PORT']);
    assert.deepEqual(configError({ DIAODU_DATABASE_URL: 'sqlite:' }).details.variables, ['DIAODU_DATABASE_URL']);
    assert.deepEqual(configError({ DIAODU_DATABASE_URL: 'postgres://' }).details.variables, ['DIAODU_DATABASE_URL']);
  });

  test('never echoes a database password in the error', () => {
    const error = configError({ DIAODU_DATABASE_URL: 'mysql://root:hunter2@localhost/x' });
    assert.doesNotMatch(error.message, /hunter2/);
    assert.doesNotMatch(JSON.stringify(error.details), /hunter2/);
  });
});

describe('loadConfig: identity settings (decision 010)', () => {
  test('reads the per-IP throttle, the password policy defaults and the TOTP key', () => {
    const config = loadConfig({
      DIAODU_LOGIN_IP_MAX_FAILURES: '50',
      DIAODU_LOGIN_IP_WINDOW_MINUTES: '5',
      DIAODU_PASSWORD_MIN_LENGTH: '12',
      DIAODU_PASSWORD_MIN_CLASSES: '4',
      DIAODU_PASSWORD_HISTORY: '0',
      DIAODU_TOTP_KEY: 'AB'.repeat(32),
    });
    assert.deepEqual(config.login, { maxFailures: 5, lockMinutes: 30, ipMaxFailures: 50, ipWindowMinutes: 5 });
    assert.deepEqual(config.passwordPolicy, { minLength: 12, minClasses: 4, history: 0 });
    assert.equal(config.totpKey, 'ab'.repeat(32));
  });

  test('refuses a weaker-than-QUALITY minimum, five classes, a short key — naming each variable', () => {
    const error = configError({ DIAODU_PASSWORD_MIN_LENGTH: '6', DIAODU_PASSWORD_MIN_CLASSES: '5', DIAODU_PASSWORD_HISTORY: '25', DIAODU_TOTP_KEY: 'abc' });
    assert.deepEqual(error.details.variables, ['DIAODU_PASSWORD_MIN_LENGTH', 'DIAODU_PASSWORD_MIN_CLASSES', 'DIAODU_PASSWORD_HISTORY', 'DIAODU_TOTP_KEY']);
    assert.match(error.message, /DIAODU_TOTP_KEY: 应为 64 位十六进制数字/);
  });

  test('reads a password maximum age in days (0 = never); refuses a negative, fractional or over-ten-year one, naming the variable', () => {
    assert.equal(loadConfig({ DIAODU_PASSWORD_MAX_AGE_DAYS: '90' }).passwordMaxAgeDays, 90);
    assert.equal(loadConfig({ DIAODU_PASSWORD_MAX_AGE_DAYS: '0' }).passwordMaxAgeDays, 0);
    for (const value of ['-1', '1.5', '3651', '90d']) {
      const error = configError({ DIAODU_PASSWORD_MAX_AGE_DAYS: value });
      assert.deepEqual(error.details.variables, ['DIAODU_PASSWORD_MAX_AGE_DAYS'], value);
      assert.match(error.message, /DIAODU_PASSWORD_MAX_AGE_DAYS: 应为 0（不过期）或不超过 3650 的天数/, value);
    }
  });
});

describe('loadConfig: exports (decision 012)', () => {
  test('reads the export timeout and where LibreOffice is', () => {
    const config = loadConfig({ DIAODU_EXPORT_RATE_LIMIT: '5', DIAODU_EXPORT_TIMEOUT_SECONDS: '600', DIAODU_SOFFICE: '/opt/libreoffice7.6/program/soffice' });
    assert.deepEqual(config.exports, { perMinute: 5, timeoutMs: 600_000, soffice: '/opt/libreoffice7.6/program/soffice' });
  });

  test('refuses a zero timeout and a relative soffice path, naming each variable', () => {
    const error = configError({ DIAODU_EXPORT_TIMEOUT_SECONDS: '0', DIAODU_SOFFICE: 'soffice' });
    assert.deepEqual(error.details.variables, ['DIAODU_EXPORT_TIMEOUT_SECONDS', 'DIAODU_SOFFICE']);
    assert.match(error.message, /DIAODU_SOFFICE: 应为 LibreOffice 的 soffice 的绝对路径/);
  });
});

test('loadConfig: the pool of each organisation’s store (decision 028)', () => {
  assert.equal(loadConfig({ DIAODU_STORE_POOL_MAX: '2' }).storePoolMax, 2);
  assert.throws(() => loadConfig({ DIAODU_STORE_POOL_MAX: '0' }), /DIAODU_STORE_POOL_MAX/);
});

describe('loadConfig: delivery by e-mail and robots (issue 16)', () => {
  test('reads the SMTP server, the sender and the public address (its trailing slash dropped)', () => {
    const config = loadConfig({
      DIAODU_SMTP_URL: 'smtp://diaodu:s%40cret@mail.example.gov.cn:587',
      DIAODU_MAIL_FROM: '市生态环境局调度系统 <diaodu@example.gov.cn>',
      DIAODU_PUBLIC_URL: 'https://diaodu.example.gov.cn/',
    });
    assert.deepEqual(config.delivery, {
      smtpUrl: 'smtp://diaodu:s%40cret@mail.example.gov.cn:587',
      mailFrom: '市生态环境局调度系统 <diaodu@example.gov.cn>',
      publicUrl: 'https://diaodu.example.gov.cn',
    });
    assert.equal(
      loadConfig({ DIAODU_SMTP_URL: 'smtps://mail.example.gov.cn', DIAODU_MAIL_FROM: 'diaodu@example.gov.cn' }).delivery.smtpUrl,
      'smtps://mail.example.gov.cn',
    );
  });

  test('refuses a non-SMTP URL, a bad sender and a public address with a query, listing each with the rest', () => {
    const error = configError({
      DIAODU_SMTP_URL: 'http://mail.example.gov.cn',
      DIAODU_MAIL_FROM: 'diaodu',
      DIAODU_PUBLIC_URL: 'https://diaodu.example.gov.cn/?x=1',
      DIAODU_TLS: 'maybe',
    });
    assert.deepEqual(error.details.variables, ['DIAODU_TLS', 'DIAODU_SMTP_URL', 'DIAODU_MAIL_FROM', 'DIAODU_PUBLIC_URL']);
    assert.match(error.message, /DIAODU_SMTP_URL: 应为 smtp:\/\//);
    assert.match(error.message, /DIAODU_MAIL_FROM: 应为电子邮件地址/);
    assert.match(error.message, /DIAODU_PUBLIC_URL: 应为用户访问本系统的网址/);
  });

  test('an SMTP server without a sender is refused, beside any other bad variable', () => {
    const error = configError({ DIAODU_SMTP_URL: 'smtp://mail.example.gov.cn:25', DIAODU_PORT: 'x', PORT: 'x' });
    assert.deepEqual(error.details.variables, ['PORT', 'DIAODU_MAIL_FROM']);
    assert.match(error.message, /DIAODU_MAIL_FROM: 设置了 DIAODU_SMTP_URL 时必须设置发件地址/);
  });
});
