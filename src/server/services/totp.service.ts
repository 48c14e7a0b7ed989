import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * The TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, one step of clock
 * drift either way), and how its secrets are kept in the database (decision 010):
 *
 * - with DIAODU_TOTP_KEY set, each secret is sealed with AES-256-GCM under that key
 *   (`gcm1:<iv>:<tag>:<ciphertext>`, base64url): a copy of the database or a backup alone does
 *   not give anyone the codes;
 * - without it, the secret is stored as `plain:<base32>` and the server warns at start-up: a
 *   demo or a test needs no key, and a real deployment is told to set one.
 *
 * A sealed secret cannot be read without its key: changing the key means every user enrols again
 * (the security admin resets their second factor).
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = 'diaodu';

export type TotpCodec = ReturnType<typeof createTotpCodec>;

/** The 30-second step a time falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

function totpOf(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** The code an authenticator shows at `at` (tests and the enrolment check use it). */
export function totpCode(secretBase32: string, at: Date): string {
  return totpOf(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * The step of the code, if `code` is right at `at` or one step either side; null otherwise.
 * The caller refuses a step it has already accepted (replay).
 */
export function matchTotpCode(secretBase32: string, code: string, at: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : totpStep(at) + delta;
}

/** A new random 160-bit secret (RFC 4226's recommended length), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** otpauth://totp/diaodu:<username>?secret=…, for an authenticator app. */
export function totpUri(secretBase32: string, username: string): string {
  return totpOf(secretBase32, username).toString();
}

/** Seals and opens secrets for storage, with the configured key or none (see above). */
export function createTotpCodec(keyHex: string | null) {
  const key = keyHex === null ? null : Buffer.from(keyHex, 'hex');
  if (key !== null && key.length !== 32) throw new Error('DIAODU_TOTP_KEY must be 32 bytes (64 hex digits)');

  return {
    sealed: key !== null,

    seal(secretBase32: string): string {
      if (key === null) return `plain:${secretBase32}`;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
      return ['gcm1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
    },

    /** The base32 secret; throws when it was sealed under another key (or none is configured). */
    open(stored: string): string {
      if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
      const [scheme, iv, tag, body] = stored.split(':');
      if (scheme !== 'gcm1' || !iv || !tag || body === undefined) throw new Error('unreadable TOTP secret');
      if (key === null) throw new Error('this TOTP secret is sealed but DIAODU_TOTP_KEY is not set');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
