import type { ConnectionOptions } from 'node:tls';
import type { Config } from '../../config.ts';
import type { Channel, ChannelKind, DeliveryAddress, DeliveryMessage, DeliveryResult } from '../channel.ts';
import { createEmailChannel } from './email.ts';
import { createRobotChannels, type RobotChannelOptions } from './robots.ts';

/**
 * Every channel the server can send through, built once at start-up from the configuration: the
 * robots always, e-mail only when DIAODU_SMTP_URL is set. The outbox worker calls `send` with a
 * stored message and address and records the answer; `close` (at shutdown) ends the SMTP pool.
 */
export interface DeliveryChannels {
  /** The kinds that can be sent now (no `email` without an SMTP server). */
  readonly kinds: readonly ChannelKind[];
  get(kind: ChannelKind): Channel | null;
  /** Hands the message to the address's channel; a kind not configured fails for good with a reason. */
  send(address: DeliveryAddress, message: DeliveryMessage): Promise<DeliveryResult>;
  close(): void;
}

export interface DeliveryChannelOptions {
  robots?: RobotChannelOptions;
  /** TLS options for the SMTP connection (tests: a self-signed server). */
  smtpTls?: ConnectionOptions;
}

export function createDeliveryChannels(delivery: Config['delivery'], options: DeliveryChannelOptions = {}): DeliveryChannels {
  const email =
    delivery.smtpUrl !== null && delivery.mailFrom !== null
      ? createEmailChannel({ smtpUrl: delivery.smtpUrl, from: delivery.mailFrom, ...(options.smtpTls ? { tls: options.smtpTls } : {}) })
      : null;
  const channels = new Map<ChannelKind, Channel>(Object.entries(createRobotChannels(options.robots)) as [ChannelKind, Channel][]);
  if (email) channels.set('email', email);
  return {
    kinds: [...channels.keys()],
    get: (kind) => channels.get(kind) ?? null,
    async send(address, message) {
      const channel = channels.get(address.channel);
      if (!channel)
        return {
          ok: false,
          reason: address.channel === 'email' ? '未配置邮件服务器（DIAODU_SMTP_URL），无法发送邮件' : `不支持的发送渠道“${address.channel}”`,
          retry: false,
        };
      return channel.send(address, message);
    },
    close() {
      email?.close();
    },
  };
}
