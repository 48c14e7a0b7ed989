import { sql, type Kysely } from 'kysely';
import { autoId, dropAppendOnly, makeAppendOnly } from './dialect-helpers.ts';

/**
 * Plans, rounds, progress, notices, imports and the audit log. Timestamps are ISO-8601 text
 * and JSON is text on both engines (docs/decisions/002-one-migration-set-for-sqlite-and-postgres.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = autoId(db);

  for (const table of ['units', 'leaders', 'departments']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'integer', id)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  }

  await db.schema
    .createTable('unit_aliases')
    .addColumn('alias', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unit_aliases_unit').on('unit_aliases').column('unit_id').execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'integer', id)
    .addColumn('identity_key', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_number', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chapters')
    .addColumn('id', 'integer', id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('chapters_plan_position', ['plan_id', 'position'])
    .execute();

  await db.schema
    .createTable('sections')
    .addColumn('id', 'integer', id)
    .addColumn('chapter_id', 'integer', (c) => c.notNull().references('chapters.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('sections_chapter_position', ['chapter_id', 'position'])
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'integer', id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('lead_department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tasks_plan_position', ['plan_id', 'position'])
    .execute();
  await db.schema.createIndex('tasks_section').on('tasks').column('section_id').execute();
  await db.schema.createIndex('tasks_lead_department').on('tasks').column('lead_department_id').execute();

  await db.schema
    .createTable('task_leaders')
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('leader_id', 'integer', (c) => c.notNull().references('leaders.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_leaders_pk', ['task_id', 'position'])
    .execute();
  await db.schema.createIndex('task_leaders_leader').on('task_leaders').column('leader_id').execute();

  await db.schema
    .createTable('task_units')
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('lead', 'co')`))
    .addPrimaryKeyConstraint('task_units_pk', ['task_id', 'position'])
    .execute();
  await db.schema.createIndex('task_units_unit').on('task_units').column('unit_id').execute();

  await db.schema
    .createTable('rounds')
    .addColumn('id', 'integer', id)
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('deadline', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rounds_plan_label', ['plan_id', 'label'])
    .execute();

  await db.schema
    .createTable('round_tasks')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('round_tasks_pk', ['round_id', 'task_id'])
    .execute();
  await db.schema.createIndex('round_tasks_task').on('round_tasks').column('task_id').execute();

  await db.schema
    .createTable('round_unit_aliases')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('round_unit_aliases_pk', ['round_id', 'position'])
    .addUniqueConstraint('round_unit_aliases_alias', ['round_id', 'alias'])
    .execute();

  await db.schema
    .createTable('progress_entries')
    .addColumn('id', 'integer', id)
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('progress_entries_round_task_position', ['round_id', 'task_id', 'position'])
    .execute();
  await db.schema.createIndex('progress_entries_task').on('progress_entries').column('task_id').execute();
  await db.schema.createIndex('progress_entries_unit_round').on('progress_entries').columns(['unit_id', 'round_id']).execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'integer', id)
    .addColumn('round_id', 'integer', (c) => c.notNull().unique().references('rounds.id'))
    .addColumn('issuing_office', 'text')
    .addColumn('doc_number', 'text')
    .addColumn('title', 'text')
    .addColumn('recipients', 'text')
    .addColumn('body', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('attachment', 'text')
    .addColumn('issuer', 'text')
    .addColumn('date', 'text')
    .addColumn('contact_unit', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('contact_phone', 'text')
    .addColumn('cc', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('printed_by', 'text')
    .addColumn('printed_date', 'text')
    .execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'integer', id)
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('imports_content_hash').on('imports').column('content_hash').execute();
  await db.schema.createIndex('imports_plan').on('imports').column('plan_id').execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'integer', id)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_object').on('audit_events').columns(['object_type', 'object_id']).execute();
  await makeAppendOnly(db, 'audit_events');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropAppendOnly(db, 'audit_events');
  for (const table of [
    'audit_events',
    'imports',
    'notices',
    'progress_entries',
    'round_unit_aliases',
    'round_tasks',
    'rounds',
    'task_units',
    'task_leaders',
    'tasks',
    'sections',
    'chapters',
    'plans',
    'unit_aliases',
    'departments',
    'leaders',
    'units',
  ])
    await db.schema.dropTable(table).execute();
}
