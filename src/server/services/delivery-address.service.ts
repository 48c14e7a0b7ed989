import type { Actor } from '../../domain/actor.ts';
import type { PersonalDeliveryView, WebhookView } from '../../domain/api/admin.ts';
import { AddressLimits, emailProblem, isWebhookKind, WEBHOOK_KIND_LABELS, WEBHOOK_KINDS, webhookUrlProblem } from '../../domain/delivery-addresses.ts';
import { forbidden, invalid } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createRepositories, type Repositories } from '../db/repositories/index.ts';
import type { StoredUnitAddress } from '../db/repositories/delivery-address.repository.ts';
import { inTransaction } from '../db/transaction.ts';
import { createTotpCodec, type TotpCodec } from './totp.service.ts';
import type { DeliveryAddress } from '../delivery/channel.ts';
import type { UnitAddresses } from '../delivery/outbox.ts';
import { audit } from './audit-writer.ts';

/** A change to a unit's addresses as the API takes it: a field left out stays as it is. */
export interface UnitAddressInput {
  email?: string | null;
  /** null removes the robot; `url` and `secret` left out keep the stored ones (they are never shown). */
  webhook?: { kind: string; url?: string | null; secret?: string | null } | null;
}

/** The robot as the API shows it: never its URL (it carries the key) nor its secret. */
export function webhookViewOf(stored: StoredUnitAddress | null | undefined): WebhookView | null {
  const webhook = stored?.webhook;
  return webhook ? { kind: webhook.kind, host: webhook.host, hasSecret: webhook.sealedSecret !== null } : null;
}

/** A trimmed e-mail, null for none; refused with the field named when malformed. */
export function checkedEmail(value: string | null, field: string): string | null {
  const email = value?.trim() || null;
  if (email === null) return null;
  const problem = emailProblem(email);
  if (problem) throw invalid('address_invalid', problem, { field });
  return email;
}

/**
 * Applies a change to a unit's addresses in the caller's transaction and says, for the audit row,
 * what changed — never the URL or the secret, only that they changed.
 */
export async function applyUnitAddressChange(
  repositories: Repositories,
  codec: TotpCodec,
  unitId: number,
  input: UnitAddressInput,
  at: string,
): Promise<Record<string, unknown>> {
  const before = await repositories.deliveryAddresses.findUnitAddress(unitId);
  const next: StoredUnitAddress = { email: before?.email ?? null, webhook: before?.webhook ?? null };
  const detail: Record<string, unknown> = {};
  if (input.email !== undefined) {
    next.email = checkedEmail(input.email, 'email');
    if (next.email !== (before?.email ?? null)) detail.email = next.email;
  }
  if (input.webhook === null) {
    next.webhook = null;
    if (before?.webhook) detail.webhook = 'removed';
  } else if (input.webhook !== undefined) {
    const { kind, url, secret } = input.webhook;
    if (!isWebhookKind(kind))
      throw invalid('address_invalid', `机器人类型须为：${WEBHOOK_KINDS.map((k) => WEBHOOK_KIND_LABELS[k]).join('、')}`, { field: 'webhook.kind' });
    const typedUrl = url?.trim() || null;
    if (typedUrl === null && !before?.webhook) throw invalid('address_invalid', '请填写机器人地址', { field: 'webhook.url' });
    if (typedUrl !== null) {
      const problem = webhookUrlProblem(typedUrl);
      if (problem) throw invalid('address_invalid', problem, { field: 'webhook.url' });
    }
    const typedSecret = secret === undefined ? undefined : secret?.trim() || null;
    if (typedSecret && typedSecret.length > AddressLimits.secret.max)
      throw invalid('address_invalid', `签名密钥最多 ${AddressLimits.secret.max} 个字符`, { field: 'webhook.secret' });
    next.webhook = {
      kind,
      host: typedUrl === null ? before!.webhook!.host : new URL(typedUrl).host,
      sealedUrl: typedUrl === null ? before!.webhook!.sealedUrl : codec.seal(typedUrl),
      sealedSecret: typedSecret === undefined ? (before?.webhook?.sealedSecret ?? null) : typedSecret === null ? null : codec.seal(typedSecret),
    };
    const changes: Record<string, unknown> = { kind, host: next.webhook.host };
    if (kind !== before?.webhook?.kind) changes.kindChanged = true;
    if (typedUrl !== null) changes.urlChanged = true;
    if (typedSecret !== undefined && (typedSecret !== null || before?.webhook?.sealedSecret)) changes.secretChanged = typedSecret === null ? 'removed' : true;
    detail.webhook = changes;
  }
  await repositories.deliveryAddresses.putUnitAddress(unitId, next, at);
  return detail;
}

export type DeliveryAddressServiceDeps = { database: Database; config: Config; now?: () => Date };

/**
 * A person's own delivery choices (issue 16): their e-mail and whether reminders also come by
 * e-mail (in-app ones always do). Any signed-in person, for themselves only.
 */
export function createDeliveryAddressService(deps: DeliveryAddressServiceDeps) {
  const { database, config } = deps;
  const clock = deps.now ?? (() => new Date());
  const reader = createRepositories(database.db);
  const codec = createTotpCodec(config.totpKey);

  function userIdOf(actor: Actor): number {
    if (actor.kind !== 'user') throw forbidden('forbidden', '仅限登录用户设置自己的提醒方式');
    return actor.userId;
  }

  async function mine(actor: Actor): Promise<PersonalDeliveryView> {
    return (await reader.deliveryAddresses.findUserDelivery(userIdOf(actor))) ?? { email: null, emailEnabled: false };
  }

  async function setMine(actor: Actor, input: { email: string | null; emailEnabled: boolean }): Promise<PersonalDeliveryView> {
    const userId = userIdOf(actor);
    const email = checkedEmail(input.email, 'email');
    if (input.emailEnabled && email === null) throw invalid('address_invalid', '开启邮件提醒须先填写电子邮箱', { field: 'email' });
    const now = clock().toISOString();
    const view = { email, emailEnabled: input.emailEnabled };
    await inTransaction(database, async (repositories) => {
      const before = await repositories.deliveryAddresses.findUserDelivery(userId);
      await repositories.deliveryAddresses.putUserDelivery(userId, view, now);
      await audit(repositories, actor, now, {
        action: 'user.delivery',
        objectType: 'user',
        objectId: userId,
        result: 'success',
        detail: { email, emailEnabled: input.emailEnabled, before: before ?? null },
      });
    });
    return view;
  }

  /** The addresses the outbox sends a unit's messages to, opened (see the repository). */
  async function deliveryAddressesOfUnits(unitIds: readonly number[]) {
    return reader.deliveryAddresses.deliveryAddressesOfUnits(unitIds, (sealed) => codec.open(sealed));
  }

  /** The addresses the outbox sends a person's messages to beyond the app (e-mail when they chose it). */
  async function deliveryAddressesOfUsers(userIds: readonly number[]) {
    return reader.deliveryAddresses.deliveryAddressesOfUsers(userIds);
  }

  /**
   * A unit's addresses as the outbox stores them (`UnitAddresses`), read in the caller's
   * transaction: the robot's URL and secret stay sealed in the outbox row; `openOutboxAddress`
   * opens them when the worker sends.
   */
  const outboxAddressesOfUnit: UnitAddresses = async (repositories, unitId) => {
    const addresses = (await repositories.deliveryAddresses.deliveryAddressesOfUnits([unitId], (sealed) => sealed)).get(unitId) ?? [];
    return addresses.map((address) => ({ channel: address.channel, address: JSON.stringify(address) }));
  };

  /** An outbox row's address, its sealed parts opened, for the channel. */
  function openOutboxAddress(stored: string): DeliveryAddress {
    const address = JSON.parse(stored) as DeliveryAddress;
    if (address.channel === 'email') return address;
    return { ...address, url: codec.open(address.url), secret: address.secret ? codec.open(address.secret) : null };
  }

  return { mine, setMine, deliveryAddressesOfUnits, deliveryAddressesOfUsers, outboxAddressesOfUnit, openOutboxAddress, codec };
}

export type DeliveryAddressService = ReturnType<typeof createDeliveryAddressService>;
