import type { Kysely } from 'kysely';
import type { WebhookKind } from '../../../domain/delivery-addresses.ts';
import type { DeliveryAddress } from '../../delivery/channel.ts';
import type { DB } from '../schema.ts';
import type { UnitAddressRow, UserDeliveryRow } from '../schema-addresses.ts';

/** A unit's addresses as stored: `url` and `secret` are sealed (the caller seals and opens). */
export interface StoredUnitAddress {
  email: string | null;
  webhook: { kind: WebhookKind; host: string; sealedUrl: string; sealedSecret: string | null } | null;
}

function storedOf(row: UnitAddressRow): StoredUnitAddress {
  const webhook =
    row.webhook_kind !== null && row.webhook_url !== null
      ? { kind: row.webhook_kind as WebhookKind, host: row.webhook_host ?? '', sealedUrl: row.webhook_url, sealedSecret: row.webhook_secret }
      : null;
  return { email: row.email, webhook };
}

/**
 * Units' and people's delivery addresses (migration 024). Sealed values pass through untouched:
 * the service seals them with the TOTP codec; the outbox opens them with `deliveryAddressesOfUnits`.
 */
export function createDeliveryAddressRepository(db: Kysely<DB>) {
  async function unitRows(unitIds: readonly number[]): Promise<UnitAddressRow[]> {
    if (unitIds.length === 0) return [];
    return db
      .selectFrom('unit_addresses')
      .selectAll()
      .where('unit_id', 'in', [...unitIds])
      .execute();
  }

  return {
    /** Every unit's stored addresses that has any, by unit id. */
    async listUnitAddresses(): Promise<Map<number, StoredUnitAddress>> {
      const rows = await db.selectFrom('unit_addresses').selectAll().execute();
      return new Map(rows.map((row) => [Number(row.unit_id), storedOf(row)]));
    },

    async findUnitAddress(unitId: number): Promise<StoredUnitAddress | null> {
      const [row] = await unitRows([unitId]);
      return row ? storedOf(row) : null;
    },

    /** Replaces a unit's addresses (an upsert: one row per unit). */
    async putUnitAddress(unitId: number, address: StoredUnitAddress, at: string): Promise<void> {
      const values = {
        email: address.email,
        webhook_kind: address.webhook?.kind ?? null,
        webhook_host: address.webhook?.host ?? null,
        webhook_url: address.webhook?.sealedUrl ?? null,
        webhook_secret: address.webhook?.sealedSecret ?? null,
        updated_at: at,
      };
      await db
        .insertInto('unit_addresses')
        .values({ unit_id: unitId, ...values })
        .onConflict((oc) => oc.column('unit_id').doUpdateSet(values))
        .execute();
    },

    /**
     * What the outbox sends to: each unit's e-mail and robot, opened with `open` (the TOTP codec's),
     * by unit id; a unit without an address for a channel has no entry for it (nothing is sent there).
     */
    async deliveryAddressesOfUnits(unitIds: readonly number[], open: (sealed: string) => string): Promise<Map<number, DeliveryAddress[]>> {
      const result = new Map<number, DeliveryAddress[]>(unitIds.map((id) => [id, []]));
      for (const row of await unitRows(unitIds)) {
        const addresses = result.get(Number(row.unit_id))!;
        if (row.email) addresses.push({ channel: 'email', to: row.email });
        const stored = storedOf(row).webhook;
        if (stored)
          addresses.push({ channel: stored.kind, url: open(stored.sealedUrl), secret: stored.sealedSecret === null ? null : open(stored.sealedSecret) });
      }
      return result;
    },

    /** What the outbox sends a person: their e-mail when they set one and turned 邮件提醒 on; else nothing. */
    async deliveryAddressesOfUsers(userIds: readonly number[]): Promise<Map<number, DeliveryAddress[]>> {
      const result = new Map<number, DeliveryAddress[]>(userIds.map((id) => [id, []]));
      if (userIds.length === 0) return result;
      const rows = await db
        .selectFrom('user_delivery')
        .selectAll()
        .where('user_id', 'in', [...userIds])
        .where('email_enabled', '=', 1)
        .execute();
      for (const row of rows) if (row.email) result.get(Number(row.user_id))!.push({ channel: 'email', to: row.email });
      return result;
    },

    async findUserDelivery(userId: number): Promise<{ email: string | null; emailEnabled: boolean } | null> {
      const row: UserDeliveryRow | undefined = await db.selectFrom('user_delivery').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row ? { email: row.email, emailEnabled: Number(row.email_enabled) === 1 } : null;
    },

    async putUserDelivery(userId: number, choice: { email: string | null; emailEnabled: boolean }, at: string): Promise<void> {
      const values = { email: choice.email, email_enabled: choice.emailEnabled ? 1 : 0, updated_at: at };
      await db
        .insertInto('user_delivery')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
    },
  };
}

export type DeliveryAddressRepository = ReturnType<typeof createDeliveryAddressRepository>;
