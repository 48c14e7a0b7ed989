import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import type { Channel, DeliveryAddress, DeliveryMessage, DeliveryResult } from '../channel.ts';

/**
 * E-mail over SMTP (issue 16) with nodemailer's pooled SMTP transport: `smtp://user:pass@host:587`
 * upgrades with STARTTLS whenever the server offers it (nodemailer's default; never `ignoreTLS`),
 * `smtps://…:465` speaks TLS from the start. The subject is UTF-8 (nodemailer writes it as MIME
 * encoded-words), the body plain text with the link on its own line. A failure comes back with the
 * server's own answer in a Chinese reason, and whether a retry can help: a refused or lost
 * connection, a timeout and any 4xx are passing; a 5xx (a rejected recipient, refused login) and a
 * malformed address are not.
 */

export interface EmailChannelOptions {
  /** DIAODU_SMTP_URL: `smtp://user:pass@host:587` or `smtps://user:pass@host:465`. */
  smtpUrl: string;
  /** DIAODU_MAIL_FROM: `diaodu@example.gov.cn` or `市生态环境局调度 <diaodu@example.gov.cn>`. */
  from: string;
  /** Connect, greeting and idle limits (ms); default 15 s, 15 s, 60 s. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Simultaneous SMTP connections of the pool; default 2. */
  maxConnections?: number;
  /**
   * TLS options for STARTTLS / smtps (a private CA, or a test server's self-signed certificate).
   * Certificates are verified by default; a deployment with its own CA sets NODE_EXTRA_CA_CERTS instead.
   */
  tls?: ConnectionOptions;
}

export interface EmailChannel extends Channel {
  readonly kind: 'email';
  /** Closes the pool's connections (at shutdown); sends after this fail. */
  close(): void;
}

/** Deliberately plain: one @, no spaces or angle brackets, a dot in the domain. The server decides the rest. */
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/** The text part: the body, then the link on its own line. */
export function emailText(message: DeliveryMessage): string {
  return message.link ? `${message.body}\n\n查看详情：${message.link}\n` : `${message.body}\n`;
}

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? 2,
    connectionTimeout: options.connectionTimeoutMs ?? 15_000,
    greetingTimeout: options.greetingTimeoutMs ?? 15_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  let closed = false;

  return {
    kind: 'email',
    async send(address: DeliveryAddress, message: DeliveryMessage): Promise<DeliveryResult> {
      if (address.channel !== 'email') return { ok: false, reason: `地址类型“${address.channel}”不是电子邮件`, retry: false };
      const to = address.to.trim();
      if (!isEmailAddress(to)) return { ok: false, reason: `收件地址“${to}”不是有效的电子邮件地址`, retry: false };
      if (closed) return { ok: false, reason: '邮件发送已停止（服务器正在关闭）', retry: true };
      try {
        const info = await transport.sendMail({
          from: options.from,
          to,
          subject: message.subject,
          text: emailText(message),
          textEncoding: 'base64',
          // RFC 3834: a machine's message; out-of-office replies should not answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        if (info.rejected.length > 0) return { ok: false, reason: `邮件服务器拒收收件地址“${to}”`, retry: false };
        return { ok: true, detail: typeof info.response === 'string' ? info.response : undefined };
      } catch (error) {
        return describeSmtpFailure(error, to);
      }
    },
    close() {
      closed = true;
      transport.close();
    },
  };
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Maps nodemailer's error (code, responseCode, response) to a reason and whether to retry. */
export function describeSmtpFailure(error: unknown, to: string): DeliveryResult {
  if (!(error instanceof Error)) return { ok: false, reason: `发送邮件失败：${String(error)}`, retry: true };
  const failure = error as SmtpError;
  const answer = (failure.response ?? '').trim().replace(/\s+/g, ' ');
  const said = answer ? `，服务器答复：${answer}` : '';
  const status = failure.responseCode;
  // `?requireTLS=true` on DIAODU_SMTP_URL and a server that will not STARTTLS: a setting to fix, not a passing trouble.
  if (failure.command === 'STARTTLS' && typeof status === 'number' && status >= 500)
    return { ok: false, reason: `邮件服务器不支持加密连接（STARTTLS），而 DIAODU_SMTP_URL 要求加密${said}`, retry: false };
  if (typeof status === 'number' && status >= 400 && status < 500) return { ok: false, reason: `邮件服务器暂时拒收（${status}）${said}`, retry: true };
  if (typeof status === 'number' && status >= 500) {
    if (failure.code === 'EAUTH') return { ok: false, reason: `邮件服务器拒绝登录，请检查 DIAODU_SMTP_URL 中的用户名和密码${said}`, retry: false };
    if (failure.command === 'RCPT TO' || failure.code === 'EENVELOPE') return { ok: false, reason: `邮件服务器拒收收件地址“${to}”${said}`, retry: false };
    return { ok: false, reason: `邮件服务器拒绝发送（${status}）${said}`, retry: false };
  }
  if (failure.code === 'ETLS') return { ok: false, reason: `与邮件服务器建立加密连接失败：${failure.message}`, retry: true };
  if (failure.code === 'EAUTH' || failure.code === 'ENOAUTH') return { ok: false, reason: `邮件服务器登录失败：${failure.message}`, retry: false };
  if (failure.code === 'EENVELOPE') return { ok: false, reason: `收件地址“${to}”无效：${failure.message}`, retry: false };
  if (failure.code !== undefined && CONNECTION_CODES.has(failure.code)) {
    const refused = /ECONNREFUSED/.test(failure.message);
    const timedOut = failure.code === 'ETIMEDOUT';
    const what = refused ? '连接被拒绝' : timedOut ? '连接超时' : failure.message;
    return { ok: false, reason: `无法连接邮件服务器：${what}`, retry: true };
  }
  return { ok: false, reason: `发送邮件失败：${failure.message}`, retry: true };
}
