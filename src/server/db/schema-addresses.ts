import type { Selectable } from 'kysely';

/** Table types of migration `024_delivery_addresses` (issue 16). */
export interface AddressTables {
  unit_addresses: UnitAddressesTable;
  user_delivery: UserDeliveryTable;
}

/** A unit's e-mail and group robot; the URL and the secret are sealed (see the migration). */
export interface UnitAddressesTable {
  unit_id: number;
  email: string | null;
  /** wecom | dingtalk | feishu | webhook, or null without a robot. */
  webhook_kind: string | null;
  /** The robot URL's host only: what the admin is shown. */
  webhook_host: string | null;
  /** Sealed (`gcm1:…`) or `plain:…` when no key is configured. */
  webhook_url: string | null;
  /** Sealed like the URL; null when the robot has no signing secret. */
  webhook_secret: string | null;
  updated_at: string;
}

/** A person's own e-mail and whether they want e-mail reminders (in-app is always on). */
export interface UserDeliveryTable {
  user_id: number;
  email: string | null;
  email_enabled: number;
  updated_at: string;
}

export type UnitAddressRow = Selectable<UnitAddressesTable>;
export type UserDeliveryRow = Selectable<UserDeliveryTable>;
