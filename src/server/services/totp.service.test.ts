import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTotpCodec, matchTotpCode, newTotpSecret, totpCode, totpStep, totpUri } from './totp.service.ts';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  test('matches the RFC test vectors (last 6 of the 8 digits)', () => {
    assert.equal(totpCode(RFC_SECRET, new Date(59_000)), '287082');
    assert.equal(totpCode(RFC_SECRET, new Date(1_111_111_109_000)), '081804');
    assert.equal(totpCode(RFC_SECRET, new Date(2_000_000_000_000)), '279037');
  });

  test('accepts one step of drift either way, not two; says which step matched', () => {
    const at = new Date('2026-03-02T08:00:10Z');
    const secret = newTotpSecret();
    const step = totpStep(at);
    for (const delta of [-1, 0, 1]) assert.equal(matchTotpCode(secret, totpCode(secret, new Date(at.getTime() + delta * 30_000)), at), step + delta);
    assert.equal(matchTotpCode(secret, totpCode(secret, new Date(at.getTime() + 2 * 30_000)), at), null);
    assert.equal(matchTotpCode(secret, totpCode(secret, new Date(at.getTime() - 2 * 30_000)), at), null);
  });

  test('refuses malformed codes without throwing; spaces inside are allowed', () => {
    const secret = newTotpSecret();
    const at = new Date();
    for (const code of ['', '12345', '1234567', 'abcdef', '12 34 5x']) assert.equal(matchTotpCode(secret, code, at), null, code);
    const good = totpCode(secret, at);
    assert.equal(matchTotpCode(secret, `${good.slice(0, 3)} ${good.slice(3)}`, at), totpStep(at));
  });

  test('the URI names the issuer, the user and the parameters', () => {
    const uri = totpUri(RFC_SECRET, 'secadmin');
    assert.match(uri, /^otpauth:\/\/totp\/diaodu:secadmin\?/);
    assert.match(uri, /secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ/);
    assert.match(uri, /digits=6/);
    assert.match(uri, /period=30/);
  });

  test('with a key, secrets are sealed (AES-256-GCM): not readable, not forgeable, not openable with another key', () => {
    const codec = createTotpCodec('11'.repeat(32));
    const secret = newTotpSecret();
    const stored = codec.seal(secret);
    assert.ok(codec.sealed);
    assert.ok(!stored.includes(secret), 'the secret is not in the stored value');
    assert.notEqual(codec.seal(secret), stored, 'a fresh IV each time');
    assert.equal(codec.open(stored), secret);
    assert.throws(() => createTotpCodec('22'.repeat(32)).open(stored));
    assert.throws(() => createTotpCodec(null).open(stored), /DIAODU_TOTP_KEY/);
    const parts = stored.split(':');
    parts[3] = Buffer.from('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').toString('base64url');
    assert.throws(() => codec.open(parts.join(':')), 'a changed ciphertext fails authentication');
  });

  test('without a key, secrets are stored marked plain', () => {
    const codec = createTotpCodec(null);
    assert.equal(codec.sealed, false);
    assert.equal(codec.seal('ABC'), 'plain:ABC');
    assert.equal(codec.open('plain:ABC'), 'ABC');
  });
});
