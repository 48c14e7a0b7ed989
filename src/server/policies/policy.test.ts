import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { systemActor, type UserActor } from '../../domain/actor.ts';
import type { Role } from '../../domain/api/roles.ts';
import { isDomainError } from '../../domain/errors.ts';
import { assertBusinessRole, assertCanReadRollUp, assertRole, assertUnitAccess, canAccessUnit, requireUser, unitScope } from './policy.ts';

const user = (role: Role, unitId: number | null = null): UserActor => ({ kind: 'user', userId: 1, username: role, name: role, role, unitId });

function deniedCode(check: () => void): string {
  try {
    check();
  } catch (error) {
    assert.ok(isDomainError(error));
    assert.equal(error.kind, 'forbidden');
    return error.code;
  }
  assert.fail('expected a denial');
}

describe('policies', () => {
  test('assertRole: the listed roles pass, others are forbidden_role, the system actor passes', () => {
    assertRole(user('office'), 'office');
    assertRole(user('leader'), 'office', 'leader');
    assertRole(systemActor(), 'system_admin');
    assert.equal(
      deniedCode(() => assertRole(user('reporter', 3), 'office')),
      'forbidden_role',
    );
    assert.equal(
      deniedCode(() => assertRole(user('system_admin'), 'office')),
      'forbidden_role',
    );
  });

  test('unit access: office reads and writes every unit; a leader only reads; reporter and head only their unit; admins none', () => {
    const cases: [UserActor, number, 'read' | 'write', boolean][] = [
      [user('office'), 7, 'read', true],
      [user('office'), 7, 'write', true],
      [user('leader'), 7, 'read', true],
      [user('leader'), 7, 'write', false],
      [user('reporter', 7), 7, 'read', true],
      [user('reporter', 7), 7, 'write', true],
      [user('reporter', 7), 8, 'read', false],
      [user('unit_head', 7), 8, 'write', false],
      [user('unit_head', 7), 7, 'write', true],
      [user('system_admin'), 7, 'read', false],
      [user('security_admin'), 7, 'read', false],
      [user('audit_admin'), 7, 'read', false],
      [user('supervisor'), 7, 'read', false],
    ];
    for (const [actor, unitId, access, allowed] of cases) {
      assert.equal(canAccessUnit(actor, unitId, access), allowed, `${actor.role}(${actor.unitId}) ${access} unit ${unitId}`);
      if (allowed) assertUnitAccess(actor, unitId, access);
      else
        assert.equal(
          deniedCode(() => assertUnitAccess(actor, unitId, access)),
          'forbidden_unit',
        );
    }
    assert.equal(canAccessUnit(systemActor(), 7, 'write'), true);
  });

  test('unitScope tells list queries which units to show', () => {
    assert.deepEqual(unitScope(user('office')), { kind: 'all' });
    assert.deepEqual(unitScope(user('leader')), { kind: 'all' });
    assert.deepEqual(unitScope(user('leader'), 'write'), { kind: 'none' });
    assert.deepEqual(unitScope(user('reporter', 4)), { kind: 'unit', unitId: 4 });
    assert.deepEqual(unitScope(user('audit_admin')), { kind: 'none' });
    assert.deepEqual(unitScope(user('supervisor')), { kind: 'none' });
  });

  test('admins handle no business data; requireUser refuses the system actor', () => {
    assertBusinessRole(user('leader'));
    assert.equal(
      deniedCode(() => assertBusinessRole(user('security_admin'))),
      'forbidden_role',
    );
    assert.equal(requireUser(user('office')).role, 'office');
  });

  test('the province supervisor reads the roll-up and no business data; nobody else reads the roll-up', () => {
    assert.equal(
      deniedCode(() => assertBusinessRole(user('supervisor'))),
      'forbidden_role',
    );
    const home = { home: true, code: 'home' };
    assertCanReadRollUp(user('supervisor'), home);
    assertCanReadRollUp(systemActor(), null);
    assert.equal(
      deniedCode(() => assertCanReadRollUp(user('supervisor'), { home: false, code: 'demo-city' })),
      'forbidden_province',
    );
    for (const role of ['office', 'leader', 'reporter', 'unit_head', 'system_admin', 'security_admin', 'audit_admin', 'platform_admin'] as const)
      assert.equal(
        deniedCode(() => assertCanReadRollUp(user(role, role === 'reporter' || role === 'unit_head' ? 7 : null), home)),
        'forbidden_role',
        role,
      );
    assert.equal(
      deniedCode(() => requireUser(systemActor())),
      'forbidden_user_required',
    );
  });
});
