import type { WebhookKind } from '../delivery-addresses.ts';
import type { PasswordPolicy } from '../accounts.ts';
import type { Role } from './roles.ts';

/** One account as the system and security admins see it (never a hash or a secret). */
export interface AccountView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unit: { id: number; name: string } | null;
  phone: string | null;
  disabled: boolean;
  /** ISO time the lock ends, when the account is locked now. */
  lockedUntil: string | null;
  failedLogins: number;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  /** Admin accounts are created and changed by the machine's operator (CLI), not on these screens. */
  managedByCli: boolean;
  createdAt: string;
}

/** A new account or a reset: the temporary password is shown once and changed at first login. */
export interface TemporaryPasswordView {
  account: AccountView;
  temporaryPassword: string;
}

/** A group robot as the API shows it: its kind, the URL's host only, and whether a secret is set. */
export interface WebhookView {
  kind: WebhookKind;
  host: string;
  hasSecret: boolean;
}

/** A person's own delivery choices (PUT /api/me/delivery): in-app always; e-mail when enabled and set. */
export interface PersonalDeliveryView {
  email: string | null;
  emailEnabled: boolean;
}

export interface UnitView {
  id: number;
  name: string;
  phone: string | null;
  /** Where the unit's e-mail reminders go (issue 16); null: none are sent by e-mail. */
  email: string | null;
  /** The unit's group robot, never its URL or secret: the URL's host and whether a signing secret is set. */
  webhook: WebhookView | null;
  /** A collective name (各处(室), 直属单位 …) nobody logs in for: never chased as a unit. */
  collective: boolean;
  /** A collective unit's member units, who answer its tasks (none: the office answers it); [] for any other unit. */
  members: { id: number; name: string }[];
}

export interface PasswordPolicyView extends PasswordPolicy {
  /** True when the security admin changed it; false: the configuration's defaults. */
  customised: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The running configuration, as the system admin may read it (no secrets). */
export interface SystemSettingsView {
  database: 'sqlite' | 'postgres';
  tls: boolean;
  trustProxy: boolean;
  demo: boolean;
  session: { idleMinutes: number; absoluteHours: number };
  login: { maxFailures: number; lockMinutes: number; ipMaxFailures: number; ipWindowMinutes: number };
  totpSecretsSealed: boolean;
}

/** Answer of POST /api/auth/totp/enrol: scan the URI or type the secret, then confirm with a code. */
export interface TotpEnrolmentView {
  /** otpauth://totp/… (RFC 6238: SHA-1, 6 digits, 30 s) */
  uri: string;
  /** The same secret in base32, for typing into an authenticator. */
  secret: string;
}

/**
 * GET /api/admin/delivery-failures (system admin, issue 16): every address whose last message on a
 * channel failed for good, so the admin can correct it. A later message sent to the same address
 * clears it.
 */
export interface DeliveryFailureView {
  /** The unit the address belongs to, or null for a person's own e-mail. */
  unitId: number | null;
  unitName: string | null;
  userId: number | null;
  personName: string | null;
  channel: 'email' | 'wecom' | 'dingtalk' | 'feishu' | 'webhook';
  /** Why the last attempt failed, in Chinese. */
  reason: string;
  failedAt: string;
  /** Messages to this address that failed for good since the last one that went through. */
  failures: number;
}
