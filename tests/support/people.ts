import type { UserActor } from '../../src/domain/actor.ts';
import type { Role } from '../../src/domain/api/roles.ts';
import type { Database } from '../../src/server/db/database.ts';

let next = 1;

/**
 * A person with an account row (no password that works), for tests whose writes point at
 * `users.id` (notification read state). Services take the actor as given.
 */
export async function person(database: Database, role: Role, options: { unitId?: number | null; name?: string } = {}): Promise<UserActor> {
  const username = `t-${role}-${next++}-${Math.random().toString(36).slice(2, 8)}`;
  const at = '2017-07-01T00:00:00.000Z';
  const row = await database.db
    .insertInto('users')
    .values({
      username,
      display_name: options.name ?? `测试${role}`,
      password_hash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
      role,
      unit_id: options.unitId ?? null,
      phone: null,
      must_change_password: 0,
      disabled: 0,
      failed_logins: 0,
      locked_until: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { kind: 'user', userId: row.id, username, name: options.name ?? `测试${role}`, role, unitId: options.unitId ?? null };
}
