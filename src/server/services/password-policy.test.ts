import assert from 'node:assert/strict';
import { test } from 'node:test';
import { characterClasses, passwordProblems } from '../../domain/accounts.ts';
import { temporaryPassword } from './password-policy.ts';

test('a temporary password meets the strictest policy and never contains its account’s username', () => {
  // "x3" turns up by chance in about one unchecked password in 150: 3,000 draws would show it.
  for (let draw = 0; draw < 3000; draw += 1) {
    const password = temporaryPassword('x3');
    assert.deepEqual(passwordProblems(password, 'X3', { minLength: 14, minClasses: 4, history: 0 }), [], password);
    assert.doesNotMatch(password, /[lIO01]/, `no look-alikes: ${password}`);
  }
  const long = temporaryPassword('ops-admin', 20);
  assert.equal(long.length, 20);
  assert.equal(characterClasses(long), 4);
});
