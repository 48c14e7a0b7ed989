import { dateAndTimeIn, DEFAULT_TIME_ZONE } from '../../domain/dates.ts';
import type { OutboxEvent } from '../../domain/delivery-events.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { timeZoneIn } from '../services/organisation-words.ts';
import type { ChannelKind } from './channel.ts';
import { composeMessage, type DeliveryEvent, type DeliveryEventKind } from './messages.ts';
import { enqueueIn, type OutboxMessage, type UnitAddresses } from './outbox.ts';

/**
 * The one way an event leaves diaodu (issue 16): called inside the transaction of the change that
 * causes it, it finds each recipient's addresses, says the event in its words (`composeMessage`) and
 * puts one outbox row per recipient and channel, so the messages commit or roll back with the change.
 * A recipient without an address for a channel gets nothing there.
 */

/** A person's addresses at enqueue time, stored as the outbox stores them (an e-mail is plain). */
export type UserAddresses = (repositories: Repositories, userId: number) => Promise<{ channel: ChannelKind; address: string }[]>;

/** What a service needs to deliver: where units' and people's messages go, the public URL, the clock's zone. */
export interface DeliveryDeps {
  /** A unit's e-mail and group robot (the addresses service's `outboxAddressesOfUnit`); without it units get nothing beyond the app. */
  addressesOfUnit?: UnitAddresses | undefined;
  /** A person's own e-mail when they chose it (`personalAddresses`); without it people get nothing beyond the app. */
  addressesOfUser?: UserAddresses | undefined;
  /** DIAODU_PUBLIC_URL: the link back into diaodu; null: messages carry none. */
  publicUrl?: string | null | undefined;
  /** The configured time zone (DIAODU_TIME_ZONE); the organisation profile's, when set, wins. */
  timeZone?: string | undefined;
}

/** A person's e-mail, when they set one and turned 邮件提醒 on (GET/PUT /api/me/delivery, table user_delivery). */
export const personalAddresses: UserAddresses = async (repositories, userId) => {
  const addresses = (await repositories.deliveryAddresses.deliveryAddressesOfUsers([userId])).get(userId) ?? [];
  return addresses.map((address) => ({ channel: address.channel, address: JSON.stringify(address) }));
};

/** The stored name of each event (`outbox.event`, shown on the board): 催办 is `urge`, a ladder step `reminder`. */
export const OUTBOX_EVENT_OF: Record<DeliveryEventKind, OutboxEvent> = {
  round_opened: 'round_opened',
  deadline: 'reminder',
  reminder: 'urge',
  returned: 'returned',
  accepted: 'accepted',
  awaiting_approval: 'approval_wanted',
  instruction: 'instruction',
  notice_issued: 'notice_issued',
};

export type Recipient = { unitId: number } | { userId: number };

/** One event to its recipients, each with the event as it reads for them (their unit's name …). */
export interface Delivery {
  /**
   * Names this one occurrence of the event, stable across retries of the same change: `round_opened:12`,
   * `urge:<reminder id>`, `returned:<submission id>:v<version>`. With the recipient and channel it is the
   * row's dedupe key, so the same event for the same recipient and channel is one row, ever.
   */
  occasion: string;
  /** The round the rows belong to on the board, or null. */
  roundId: number | null;
  to: readonly { recipient: Recipient; event: DeliveryEvent }[];
}

/** What was put in the outbox: how many new rows, and each recipient's channels (for the audit row). */
export interface DeliveryOutcome {
  enqueued: number;
  channels: ChannelKind[];
}

/** The dedupe key of one occasion's row for one recipient on one channel. */
export function dedupeKeyOf(occasion: string, recipient: Recipient, channel: ChannelKind): string {
  return 'unitId' in recipient ? `${occasion}:unit:${recipient.unitId}:${channel}` : `${occasion}:user:${recipient.userId}:${channel}`;
}

/** Puts `delivery` in the outbox in the caller's transaction (`repositories` are that transaction's). */
export async function deliverIn(repositories: Repositories, deps: DeliveryDeps, delivery: Delivery, now: Date): Promise<DeliveryOutcome> {
  const messages: OutboxMessage[] = [];
  const channels = new Set<ChannelKind>();
  let timeZone: string | undefined;
  for (const { recipient, event } of delivery.to) {
    const addresses =
      'unitId' in recipient
        ? ((await deps.addressesOfUnit?.(repositories, recipient.unitId)) ?? [])
        : ((await deps.addressesOfUser?.(repositories, recipient.userId)) ?? []);
    if (addresses.length === 0) continue;
    timeZone ??= await timeZoneIn(repositories, deps.timeZone ?? DEFAULT_TIME_ZONE);
    const message = composeMessage(event, { publicUrl: deps.publicUrl ?? null, timeZone });
    for (const address of addresses) {
      channels.add(address.channel);
      messages.push({
        event: OUTBOX_EVENT_OF[event.kind],
        roundId: delivery.roundId,
        recipient,
        channel: address.channel,
        address: address.address,
        message,
        dedupeKey: dedupeKeyOf(delivery.occasion, recipient, address.channel),
      });
    }
  }
  return { enqueued: await enqueueIn(repositories, messages, now), channels: [...channels] };
}

/** A task's text as a message names it: one line, cut to about `max` characters. */
export function shortTitle(text: string, max = 30): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/**
 * Whole local days from `now` to `deadline` in `timeZone`: 3 three days before, 0 on the day, −1 the
 * day after (what a deadline reminder says, whenever it goes out).
 */
export function daysLeft(deadline: Date, now: Date, timeZone: string): number {
  const day = (at: Date) => Date.parse(`${dateAndTimeIn(at, timeZone).date}T00:00:00Z`);
  return Math.round((day(deadline) - day(now)) / 86_400_000);
}
