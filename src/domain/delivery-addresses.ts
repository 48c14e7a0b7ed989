/**
 * Delivery addresses (issue 16): a unit's e-mail and group robot, a person's e-mail and choice.
 * The checks here are shared by the server (which enforces them) and the web forms (which warn early).
 */

export type WebhookKind = 'wecom' | 'dingtalk' | 'feishu' | 'webhook';
export const WEBHOOK_KINDS: readonly WebhookKind[] = ['wecom', 'dingtalk', 'feishu', 'webhook'];

/** The kinds as people call them. */
export const WEBHOOK_KIND_LABELS: Record<WebhookKind, string> = {
  wecom: '企业微信/政务微信群机器人',
  dingtalk: '钉钉自定义机器人',
  feishu: '飞书群机器人',
  webhook: '通用 JSON 接口',
};

export const AddressLimits = {
  email: { max: 254 },
  url: { max: 2_000 },
  secret: { max: 200 },
} as const;

export function isWebhookKind(value: unknown): value is WebhookKind {
  return typeof value === 'string' && (WEBHOOK_KINDS as readonly string[]).includes(value);
}

/** Why an e-mail address is refused (Chinese), or null when it is acceptable. */
export function emailProblem(email: string): string | null {
  if (email.length > AddressLimits.email.max) return `电子邮箱最多 ${AddressLimits.email.max} 个字符`;
  if (!/^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/.test(email)) return '电子邮箱格式不正确，应如 name@example.gov.cn';
  return null;
}

/**
 * Why a robot URL is refused (Chinese), or null. Only https: the URL carries the robot's key; plain
 * http only to this machine (127.0.0.1, localhost), where a test's stand-in robot listens.
 */
export function webhookUrlProblem(url: string): string | null {
  if (url.length > AddressLimits.url.max) return `机器人地址最多 ${AddressLimits.url.max} 个字符`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '机器人地址不是有效的网址，应如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…';
  }
  const local = parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost';
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && local)) {
    if (parsed.username || parsed.password) return '机器人地址不能包含用户名或密码';
    return null;
  }
  return '机器人地址须以 https:// 开头';
}

/** Every channel beyond the app, in the order they are shown. */
export type DeliveryChannel = 'email' | WebhookKind;
export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ['email', ...WEBHOOK_KINDS];

/** The channels by their short names, as the board and the admin's pages show a message's way out. */
export const DELIVERY_CHANNEL_LABELS: Record<DeliveryChannel, string> = {
  email: '邮件',
  wecom: '企业微信',
  dingtalk: '钉钉',
  feishu: '飞书',
  webhook: '接口',
};
