import type { Kysely } from 'kysely';

/**
 * Where a unit and a person are reached beyond the app (issue 16).
 *
 * `unit_addresses`: one row per unit that has an address: its e-mail and its group robot (kind —
 * wecom | dingtalk | feishu | webhook, the ChannelKind of src/server/delivery/channel.ts —, the
 * robot's URL and its signing secret). The URL carries the robot's key (企业微信's `key=…`) and the
 * secret signs 钉钉/飞书 messages: both are sealed like the TOTP secrets (`gcm1:…` under
 * DIAODU_TOTP_KEY, `plain:…` without it). `webhook_host` is the URL's host alone, kept readable so the
 * admin sees which robot is set without the key ever leaving the server.
 *
 * `user_delivery`: a person's own e-mail and channel choices (in-app always; `email_enabled` 0/1).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unit_addresses')
    .addColumn('unit_id', 'integer', (c) => c.primaryKey().references('units.id'))
    .addColumn('email', 'text')
    .addColumn('webhook_kind', 'text')
    .addColumn('webhook_host', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_delivery')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('email', 'text')
    .addColumn('email_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('user_delivery').execute();
  await db.schema.dropTable('unit_addresses').execute();
}
