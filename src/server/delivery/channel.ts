/**
 * Delivery beyond the app (issue 16): the one shape every channel sends and the one answer it gives.
 * The outbox (outbox.ts) stores messages in the transaction of the change that causes them and a
 * worker hands each to its channel (channels/*.ts); a channel never touches the database.
 */

export type ChannelKind = 'email' | 'wecom' | 'dingtalk' | 'feishu' | 'webhook';

/** Where one message goes: an e-mail address, or a group robot with its vendor kind. */
export type DeliveryAddress =
  | { channel: 'email'; to: string }
  | { channel: 'wecom' | 'feishu' | 'webhook'; url: string; secret?: string | null }
  | { channel: 'dingtalk'; url: string; secret?: string | null };

/** What is said: Chinese, short, naming the round and the unit or task; `link` points back into diaodu. */
export interface DeliveryMessage {
  subject: string;
  body: string;
  /** Absolute URL built from DIAODU_PUBLIC_URL, or null when it is not configured. */
  link: string | null;
}

/**
 * A channel's answer: `sent`, or `failed` with a reason a person can read (Chinese) and whether a retry
 * can help (a robot's 500 or a refused SMTP connection: yes; a malformed address or a rejected key: no).
 */
export type DeliveryResult = { ok: true; detail?: string } | { ok: false; reason: string; retry: boolean; retryAfterMs?: number };

export interface Channel {
  readonly kind: ChannelKind;
  send(address: DeliveryAddress, message: DeliveryMessage): Promise<DeliveryResult>;
}
