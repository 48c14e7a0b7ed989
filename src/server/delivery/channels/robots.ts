import { createHmac } from 'node:crypto';
import type { Channel, ChannelKind, DeliveryAddress, DeliveryMessage, DeliveryResult } from '../channel.ts';

/**
 * The group robots (issue 16): 企业微信 / 政务微信 group robot (key in the webhook URL), 钉钉 custom robot
 * (timestamp + HMAC-SHA256 sign in the query), 飞书 custom robot (timestamp + sign in the body) and a
 * generic JSON webhook. Each POSTs JSON with Node's fetch under a timeout, reads the vendor's answer
 * (errcode / code) and maps it to a DeliveryResult; a per-URL limiter keeps each robot within its
 * vendor's rate and answers "retry later" instead of waiting.
 */

export type RobotKind = Exclude<ChannelKind, 'email'>;

/** One sliding-window limit: at most `count` messages within `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/**
 * Each vendor's documented limits per robot: 企业微信 and 钉钉 20 a minute (钉钉 then throttles the robot
 * for 10 minutes); 飞书 100 a minute and 5 a second. The generic webhook is held to 60 a minute.
 */
export const ROBOT_RATE_LIMITS: Record<RobotKind, readonly RateLimit[]> = {
  wecom: [{ count: 20, windowMs: 60_000 }],
  dingtalk: [{ count: 20, windowMs: 60_000 }],
  feishu: [
    { count: 100, windowMs: 60_000 },
    { count: 5, windowMs: 1_000 },
  ],
  webhook: [{ count: 60, windowMs: 60_000 }],
};

/** How long to wait after a vendor said "too fast" (钉钉 throttles the robot for 10 minutes). */
const VENDOR_THROTTLE_MS: Record<RobotKind, number> = { wecom: 60_000, dingtalk: 10 * 60_000, feishu: 60_000, webhook: 60_000 };

/** How a reason names the receiver. */
export const ROBOT_LABELS: Record<RobotKind, string> = { wecom: '企业微信机器人', dingtalk: '钉钉机器人', feishu: '飞书机器人', webhook: 'Webhook 接口' };

/**
 * Per-key sliding-window limiter that never blocks: `take` either counts a send or says how long
 * until one fits. `blockUntil` holds a key after the vendor itself answered "too fast".
 */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly blocked = new Map<string, number>();

  constructor(private readonly limits: readonly RateLimit[]) {}

  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    const until = this.blocked.get(key);
    if (until !== undefined) {
      if (until > now) return { ok: false, retryAfterMs: until - now };
      this.blocked.delete(key);
    }
    const longest = Math.max(...this.limits.map((limit) => limit.windowMs));
    const times = (this.sent.get(key) ?? []).filter((at) => at > now - longest);
    let wait = 0;
    for (const limit of this.limits) {
      const inWindow = times.filter((at) => at > now - limit.windowMs);
      if (inWindow.length >= limit.count) wait = Math.max(wait, inWindow[inWindow.length - limit.count]! + limit.windowMs - now);
    }
    if (wait > 0) {
      this.sent.set(key, times);
      return { ok: false, retryAfterMs: wait };
    }
    times.push(now);
    this.sent.set(key, times);
    return { ok: true };
  }

  blockUntil(key: string, until: number): void {
    this.blocked.set(key, Math.max(until, this.blocked.get(key) ?? 0));
  }
}

export interface RobotChannelOptions {
  /** Longest one request may take (connect, send, answer); default 10 s. */
  timeoutMs?: number;
  /** The clock (ms) for signatures and the limiter; tests pass their own. */
  now?: () => number;
  /** Replaces the vendor's limits (tests). */
  limits?: readonly RateLimit[];
  fetch?: typeof globalThis.fetch;
}

/** 钉钉: base64(HMAC-SHA256(key = secret, "timestamp\nsecret")); the caller URL-encodes it as a query value. */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** 飞书: base64(HMAC-SHA256(key = "timestamp\nsecret", empty message)), timestamp in seconds. */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Longest text 企业微信 takes in a text message (2048 bytes, UTF-8). */
const WECOM_TEXT_MAX_BYTES = 2048;

/** Subject, body and link as one plain-text robot message; cut to `maxBytes` keeping the link whole. */
export function robotText(message: DeliveryMessage, maxBytes = 20_000): string {
  const tail = message.link ? `\n${message.link}` : '';
  const head = `${message.subject}\n${message.body}`;
  const room = maxBytes - Buffer.byteLength(tail, 'utf8');
  if (Buffer.byteLength(head, 'utf8') <= room) return head + tail;
  let cut = '';
  for (const char of head) {
    if (Buffer.byteLength(`${cut}${char}…`, 'utf8') > room) break;
    cut += char;
  }
  return `${cut}…${tail}`;
}

type VendorAnswer = { code: number; message: string } | null;

/** Error codes each vendor answers when the robot sent too fast. */
const VENDOR_RATE_LIMITED: Record<RobotKind, readonly number[]> = { wecom: [45009], dingtalk: [130101, 410100], feishu: [11232], webhook: [] };
/** Codes for a passing trouble on the vendor's side (system busy): retry. */
const VENDOR_TRANSIENT: Record<RobotKind, readonly number[]> = { wecom: [-1], dingtalk: [-1], feishu: [], webhook: [] };

export function createRobotChannel(kind: RobotKind, options: RobotChannelOptions = {}): Channel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;
  const limiter = new RateLimiter(options.limits ?? ROBOT_RATE_LIMITS[kind]);
  const label = ROBOT_LABELS[kind];

  const request = (url: URL, secret: string | null, message: DeliveryMessage, at: number): { url: URL; body: unknown } => {
    switch (kind) {
      case 'wecom':
        return { url, body: { msgtype: 'text', text: { content: robotText(message, WECOM_TEXT_MAX_BYTES) } } };
      case 'dingtalk': {
        const signed = new URL(url);
        if (secret) {
          signed.searchParams.set('timestamp', String(at));
          signed.searchParams.set('sign', dingtalkSign(at, secret));
        }
        return { url: signed, body: { msgtype: 'text', text: { content: robotText(message) } } };
      }
      case 'feishu': {
        const seconds = Math.floor(at / 1000);
        const signature = secret ? { timestamp: String(seconds), sign: feishuSign(seconds, secret) } : {};
        return { url, body: { ...signature, msg_type: 'text', content: { text: robotText(message) } } };
      }
      case 'webhook':
        return { url, body: { subject: message.subject, body: message.body, link: message.link } };
    }
  };

  const readAnswer = (json: unknown): VendorAnswer => {
    if (kind === 'webhook' || typeof json !== 'object' || json === null) return null;
    const answer = json as Record<string, unknown>;
    const code = kind === 'feishu' ? (answer.code ?? answer.StatusCode) : answer.errcode;
    const text = kind === 'feishu' ? (answer.msg ?? answer.StatusMessage) : answer.errmsg;
    if (typeof code !== 'number') return null;
    return { code, message: typeof text === 'string' ? text : '' };
  };

  return {
    kind,
    async send(address: DeliveryAddress, message: DeliveryMessage): Promise<DeliveryResult> {
      if (address.channel !== kind) return { ok: false, reason: `地址类型“${address.channel}”不是${label}`, retry: false };
      if (!URL.canParse(address.url)) return { ok: false, reason: `${label}地址不是有效的网址`, retry: false };
      const url = new URL(address.url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `${label}地址应以 https:// 开头`, retry: false };
      const key = address.url;
      const at = now();
      const slot = limiter.take(key, at);
      if (!slot.ok)
        return { ok: false, reason: `${label}发送频率已达上限，${Math.ceil(slot.retryAfterMs / 1000)} 秒后重试`, retry: true, retryAfterMs: slot.retryAfterMs };

      const built = request(url, address.secret ?? null, message, at);
      let response: Response;
      let text: string;
      try {
        response = await doFetch(built.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(built.body),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        text = await response.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const cause = error instanceof Error ? describeCause(error) : String(error);
        return { ok: false, reason: timedOut ? `${label}在 ${timeoutMs / 1000} 秒内未应答` : `无法连接${label}：${cause}`, retry: true };
      }

      if (response.status === 429) {
        const wait = retryAfterOf(response.headers.get('retry-after')) ?? VENDOR_THROTTLE_MS[kind];
        limiter.blockUntil(key, at + wait);
        return { ok: false, reason: `${label}答复发送过于频繁（HTTP 429），稍后重试`, retry: true, retryAfterMs: wait };
      }
      if (response.status >= 500) return { ok: false, reason: `${label}服务出错（HTTP ${response.status}）${snippet(text)}`, retry: true };
      if (response.status === 408) return { ok: false, reason: `${label}请求超时（HTTP 408）`, retry: true };
      if (response.status >= 400) return { ok: false, reason: `${label}拒绝了请求（HTTP ${response.status}）${snippet(text)}`, retry: false };
      if (response.status < 200 || response.status >= 300) return { ok: false, reason: `${label}答复异常（HTTP ${response.status}）`, retry: true };
      if (kind === 'webhook') return { ok: true, detail: `HTTP ${response.status}` };

      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { ok: false, reason: `${label}的答复无法识别${snippet(text)}`, retry: true };
      }
      const answer = readAnswer(json);
      if (answer === null) return { ok: false, reason: `${label}的答复无法识别${snippet(text)}`, retry: true };
      if (answer.code === 0) return { ok: true, detail: answer.message || 'ok' };
      const said = `${label}答复错误 ${answer.code}${answer.message ? `：${answer.message}` : ''}`;
      if (VENDOR_RATE_LIMITED[kind].includes(answer.code)) {
        const wait = VENDOR_THROTTLE_MS[kind];
        limiter.blockUntil(key, at + wait);
        return { ok: false, reason: `${said}（发送过于频繁，稍后重试）`, retry: true, retryAfterMs: wait };
      }
      if (VENDOR_TRANSIENT[kind].includes(answer.code)) return { ok: false, reason: `${said}（对方系统繁忙，稍后重试）`, retry: true };
      return { ok: false, reason: `${said}（请检查机器人地址、密钥和安全设置）`, retry: false };
    },
  };
}

/** One channel for each robot kind, sharing nothing (each has its own per-URL limiter). */
export function createRobotChannels(options: RobotChannelOptions = {}): Record<RobotKind, Channel> {
  return {
    wecom: createRobotChannel('wecom', options),
    dingtalk: createRobotChannel('dingtalk', options),
    feishu: createRobotChannel('feishu', options),
    webhook: createRobotChannel('webhook', options),
  };
}

function retryAfterOf(header: string | null): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  return null;
}

/** The first 200 characters of a vendor's answer, to name it in the reason. */
function snippet(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return '';
  return `：${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed}`;
}

function describeCause(error: Error): string {
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    if (code === 'ECONNREFUSED') return '连接被拒绝';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '域名无法解析';
    if (code === 'ECONNRESET') return '连接被重置';
    return code ?? cause.message;
  }
  return error.message;
}
