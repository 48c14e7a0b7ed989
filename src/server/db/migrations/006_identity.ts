import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * Identity (decision 010): the TOTP second factor on accounts, the password history behind
 * "not one of the last 5", the per-IP login throttle, and settings an admin changes at run time
 * (the password policy). Session end reasons grow `password_changed` and `role_changed`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = autoId(db);

  /** Confirmed TOTP secret (encrypted or marked plain, see totp.service.ts); null: no second factor. */
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  /** A secret shown at enrolment and not yet confirmed with a code. */
  await db.schema.alterTable('users').addColumn('totp_pending_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
  /** The last 30-second step a code was accepted for: a code is never accepted twice. */
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();

  await db.schema
    .createTable('password_history')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'id']).execute();
  // Every account's current password is its first history entry.
  await sql`insert into password_history (user_id, password_hash, created_at) select id, password_hash, updated_at from users`.execute(db);

  await db.schema
    .createTable('login_ip_failures')
    .addColumn('id', 'integer', id)
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_ip_failures_ip_at').on('login_ip_failures').columns(['ip', 'at']).execute();
  await db.schema.createIndex('login_ip_failures_at').on('login_ip_failures').column('at').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('login_ip_failures').execute();
  await db.schema.dropTable('password_history').execute();
  for (const column of ['password_changed_at', 'totp_last_step', 'totp_enabled_at', 'totp_pending_secret', 'totp_secret'])
    await db.schema.alterTable('users').dropColumn(column).execute();
}
