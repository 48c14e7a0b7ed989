import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, ProgressEntriesTable } from '../schema.ts';
import type { UnitSubmissionsTable } from '../schema-round-work.ts';
import { preparedQuery } from '../prepared.ts';
import { groupBy } from '../../../domain/group-by.ts';

export type SubmissionRecord = Selectable<UnitSubmissionsTable> & { unit_name: string; unit_phone: string | null; round_requires_approval: number };

/** The review of one answer (migration 011): null while nobody has reviewed it yet. */
export type ReviewState = 'returned' | 'approved' | 'accepted';
export type AnswerRecord = Selectable<ProgressEntriesTable>;

/** A task of a round as one unit sees it. */
export type UnitTaskRecord = {
  taskId: number;
  position: number;
  text: string;
  /** 完成时限 as the plan writes it; null when none. */
  due: string | null;
  chapterNumber: number;
  sectionNumber: number;
  role: 'lead' | 'co';
};

/** What a save writes into an answer; `copiedFromRoundId`/`copiedUnchanged` as for 沿用上轮 (null: not copied). */
export type AnswerChange = {
  text: string;
  status: string | null;
  reason: string | null;
  updatedBy: string;
  now: string;
  copiedFromRoundId: number | null;
  copiedUnchanged: number | null;
};

// The queries of a draft save and a to-do read, built once (db/prepared.ts): they run on every
// keystroke-driven save of the deadline hour.

const submissionOfUnit = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db
    .selectFrom('unit_submissions')
    .innerJoin('units', 'units.id', 'unit_submissions.unit_id')
    .innerJoin('rounds', 'rounds.id', 'unit_submissions.round_id')
    .selectAll('unit_submissions')
    .select(['units.name as unit_name', 'units.phone as unit_phone', 'rounds.requires_approval as round_requires_approval'])
    .where('unit_submissions.round_id', '=', args.roundId)
    .where('unit_submissions.unit_id', '=', args.unitId),
);

const answerOfUnit = preparedQuery((db, args: { roundId: number; taskId: number; unitId: number }) =>
  db.selectFrom('progress_entries').selectAll().where('round_id', '=', args.roundId).where('task_id', '=', args.taskId).where('unit_id', '=', args.unitId),
);

const unitTasksOfRound = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db
    .selectFrom('round_tasks')
    .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
    .innerJoin('task_units', 'task_units.task_id', 'tasks.id')
    .innerJoin('sections', 'sections.id', 'tasks.section_id')
    .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
    .select([
      'tasks.id as taskId',
      'tasks.position as position',
      'tasks.text as text',
      'tasks.due as due',
      'chapters.number as chapterNumber',
      'sections.number as sectionNumber',
      'task_units.role as role',
    ])
    .where('round_tasks.round_id', '=', args.roundId)
    .where('task_units.unit_id', '=', args.unitId)
    .orderBy('tasks.position'),
);

/**
 * The tasks of a round a member unit answers for a collective unit (各处(室) …; migration 012),
 * as a co-unit: fixed when the round opened.
 */
const memberTasksOfRound = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db
    .selectFrom('round_task_units')
    .innerJoin('tasks', 'tasks.id', 'round_task_units.task_id')
    .innerJoin('sections', 'sections.id', 'tasks.section_id')
    .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
    .select([
      'tasks.id as taskId',
      'tasks.position as position',
      'tasks.text as text',
      'tasks.due as due',
      'chapters.number as chapterNumber',
      'sections.number as sectionNumber',
    ])
    .where('round_task_units.round_id', '=', args.roundId)
    .where('round_task_units.unit_id', '=', args.unitId),
);

/** The ids of the unit's tasks in the round (optionally only those it leads): the to-do list's rows, as a sub-select. */
function unitTaskIds(db: Kysely<DB>, roundId: number, unitId: number, leadOnly = false) {
  const query = db
    .selectFrom('round_tasks')
    .innerJoin('task_units as mine', 'mine.task_id', 'round_tasks.task_id')
    .select('round_tasks.task_id')
    .where('round_tasks.round_id', '=', roundId)
    .where('mine.unit_id', '=', unitId);
  if (leadOnly) return query.where('mine.role', '=', 'lead');
  // A member unit answering a collective unit's task has it too (always as a co-unit).
  return query.union(
    db
      .selectFrom('round_task_units')
      .select('round_task_units.task_id')
      .where('round_task_units.round_id', '=', roundId)
      .where('round_task_units.unit_id', '=', unitId),
  );
}

const answersOnUnitTasks = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db
    .selectFrom('progress_entries')
    .selectAll()
    .where('round_id', '=', args.roundId)
    .where('task_id', 'in', unitTaskIds(db, args.roundId, args.unitId))
    .orderBy('task_id')
    .orderBy('position'),
);

// Matched by lineage (020): last round may have answered an earlier version of the task, or the
// plan it was copied from; the rows come back under this round's task id.
const earlierTextsOnUnitTasks = preparedQuery((db, args: { earlierRoundId: number; roundId: number; unitId: number }) =>
  db
    .selectFrom('progress_entries')
    .innerJoin('tasks as earlier', 'earlier.id', 'progress_entries.task_id')
    .innerJoin('tasks as current', 'current.lineage', 'earlier.lineage')
    .select(['current.id as task_id', 'progress_entries.unit_id', 'progress_entries.text'])
    .where('progress_entries.round_id', '=', args.earlierRoundId)
    .where('current.id', 'in', unitTaskIds(db, args.roundId, args.unitId))
    .orderBy('current.id')
    .orderBy('progress_entries.position'),
);

const leadersOnUnitTasks = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db
    .selectFrom('task_leaders')
    .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
    .select(['task_leaders.task_id as taskId', 'leaders.name as name'])
    .where('task_leaders.task_id', 'in', unitTaskIds(db, args.roundId, args.unitId))
    .orderBy('task_leaders.task_id')
    .orderBy('task_leaders.position'),
);

const unitsOfLedTasks = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db
    .selectFrom('task_units')
    .innerJoin('units', 'units.id', 'task_units.unit_id')
    .leftJoin('unit_submissions', (join) =>
      join.onRef('unit_submissions.unit_id', '=', 'task_units.unit_id').on('unit_submissions.round_id', '=', args.roundId),
    )
    .select(['task_units.task_id as taskId', 'units.id as unitId', 'units.name as unitName', 'task_units.role as role', 'unit_submissions.state as state'])
    .where('task_units.task_id', 'in', unitTaskIds(db, args.roundId, args.unitId, true))
    .orderBy('task_units.task_id')
    .orderBy('task_units.position'),
);

/**
 * What a draft save checks, in one statement: the round's state, the unit's submission, whether
 * the task is in the round and the unit's to answer, and the answer stored now.
 */
const saveContext = preparedQuery((db, args: { roundId: number; taskId: number; unitId: number }) =>
  db
    .selectFrom('rounds')
    .leftJoin('unit_submissions', (join) => join.onRef('unit_submissions.round_id', '=', 'rounds.id').on('unit_submissions.unit_id', '=', args.unitId))
    .leftJoin('progress_entries', (join) =>
      join
        .onRef('progress_entries.round_id', '=', 'rounds.id')
        .on('progress_entries.task_id', '=', args.taskId)
        .on('progress_entries.unit_id', '=', args.unitId),
    )
    .select((eb) => [
      'rounds.status as round_status',
      'rounds.label as round_label',
      'rounds.plan_id as round_plan_id',
      'unit_submissions.id as submission_id',
      'unit_submissions.state as submission_state',
      'unit_submissions.version as submission_version',
      eb
        .or([
          eb.exists(
            eb
              .selectFrom('round_tasks')
              .innerJoin('task_units', 'task_units.task_id', 'round_tasks.task_id')
              .select('round_tasks.task_id')
              .whereRef('round_tasks.round_id', '=', 'rounds.id')
              .where('round_tasks.task_id', '=', args.taskId)
              // Named on task_units too, so SQLite looks the task up by its key (a task has a few
              // units) rather than walking every task of the unit through task_units_unit.
              .where('task_units.task_id', '=', args.taskId)
              .where('task_units.unit_id', '=', args.unitId),
          ),
          // A member unit answering a collective unit's task (012).
          eb.exists(
            eb
              .selectFrom('round_task_units')
              .select('round_task_units.task_id')
              .whereRef('round_task_units.round_id', '=', 'rounds.id')
              .where('round_task_units.task_id', '=', args.taskId)
              .where('round_task_units.unit_id', '=', args.unitId),
          ),
        ])
        .as('assigned'),
      'progress_entries.id as answer_id',
      'progress_entries.task_id as answer_task_id',
      'progress_entries.unit_id as answer_unit_id',
      'progress_entries.position as answer_position',
      'progress_entries.text as answer_text',
      'progress_entries.status as answer_status',
      'progress_entries.reason as answer_reason',
      'progress_entries.version as answer_version',
      'progress_entries.created_at as answer_created_at',
      'progress_entries.updated_at as answer_updated_at',
      'progress_entries.updated_by as answer_updated_by',
      'progress_entries.review_state as answer_review_state',
      'progress_entries.review_comment as answer_review_comment',
      'progress_entries.reviewed_at as answer_reviewed_at',
      'progress_entries.reviewed_by as answer_reviewed_by',
      'progress_entries.copied_from_round_id as answer_copied_from_round_id',
      'progress_entries.copied_unchanged as answer_copied_unchanged',
      'progress_entries.attribution as answer_attribution',
    ])
    .where('rounds.id', '=', args.roundId),
);

/**
 * Last round's texts on one task that a unit's box shows (its own, and the unattributed ones),
 * each with the unit's role on the task: read by every save of a 沿用上轮 answer.
 */
const earlierTextsOfTask = preparedQuery((db, args: { earlierRoundId: number; taskId: number; unitId: number }) =>
  db
    .selectFrom('progress_entries')
    // Any version of the task (020), the unit's role as the earlier round had it.
    .innerJoin('tasks as earlier', 'earlier.id', 'progress_entries.task_id')
    .innerJoin('tasks as current', 'current.lineage', 'earlier.lineage')
    .innerJoin('task_units', (join) => join.onRef('task_units.task_id', '=', 'progress_entries.task_id').on('task_units.unit_id', '=', args.unitId))
    .select(['progress_entries.unit_id as unit_id', 'progress_entries.text as text', 'task_units.role as role'])
    .where('progress_entries.round_id', '=', args.earlierRoundId)
    .where('current.id', '=', args.taskId)
    .where((eb) => eb.or([eb('progress_entries.unit_id', '=', args.unitId), eb('progress_entries.unit_id', 'is', null)]))
    .orderBy('progress_entries.position'),
);

/** What a draft save needs to know before it writes (`findSaveContext`). */
export type SaveContext = {
  round: { status: string; label: string; plan_id: number };
  /** The unit's submission in the round, if the unit has tasks in it. */
  submission: { id: number; state: string; version: number } | undefined;
  /** The task is in the round and the unit is responsible for it (a lead or co-unit). */
  assigned: boolean;
  answer: AnswerRecord | undefined;
};

const insertAnswer = preparedQuery((db, args: AnswerChange & { roundId: number; taskId: number; unitId: number }) =>
  db
    .insertInto('progress_entries')
    .values({
      round_id: args.roundId,
      task_id: args.taskId,
      unit_id: args.unitId,
      // A member unit answering a collective unit's task (012) takes the place fixed at opening.
      position: db
        .selectFrom((eb) =>
          eb
            .selectFrom('task_units')
            .select('position')
            .where('task_id', '=', args.taskId)
            .where('unit_id', '=', args.unitId)
            .unionAll(
              eb
                .selectFrom('round_task_units')
                .select('position')
                .where('round_id', '=', args.roundId)
                .where('task_id', '=', args.taskId)
                .where('unit_id', '=', args.unitId),
            )
            .as('places'),
        )
        .select((eb) => eb.fn.min('places.position').as('position')),
      text: args.text,
      status: args.status,
      reason: args.reason,
      updated_by: args.updatedBy,
      copied_from_round_id: args.copiedFromRoundId,
      copied_unchanged: args.copiedUnchanged,
      version: 1,
      created_at: args.now,
      updated_at: args.now,
    })
    .returningAll(),
);

// No RETURNING: the new row is the stored one with the change, and `returning *` cost more
// than the update itself (about 14 µs of 22 on this machine).
const updateAnswer = preparedQuery((db, args: AnswerChange & { id: number; expectedVersion: number; nextVersion: number }) =>
  db
    .updateTable('progress_entries')
    .set({
      text: args.text,
      status: args.status,
      reason: args.reason,
      updated_by: args.updatedBy,
      updated_at: args.now,
      version: args.nextVersion,
      copied_from_round_id: args.copiedFromRoundId,
      copied_unchanged: args.copiedUnchanged,
    })
    .where('id', '=', args.id)
    .where('version', '=', args.expectedVersion),
);

/** Last round's text beside a box: the unit's own; for the lead unit, the text the document did not attribute, joined. */
export function earlierTextOf(rows: readonly { unit_id: number | null; text: string }[], unitId: number, role: 'lead' | 'co'): string | null {
  return (
    rows.find((row) => row.unit_id === unitId)?.text ??
    (role === 'lead'
      ? rows
          .filter((row) => row.unit_id === null)
          .map((row) => row.text)
          .join('\n') || null
      : null)
  );
}

/**
 * SQL of the work in a round run in the app: the units it opens to, their answers and submissions,
 * reminders and notifications, and idempotency keys. Writes that must not race use
 * compare-and-set on a version column and report how many rows they changed. The round's own
 * rows (rounds, round_tasks) are round.repository.ts.
 */
export function createRoundWorkRepository(db: Kysely<DB>) {
  return {
    /** The plan's current tasks (020: retired ones, withdrawn or replaced by a newer version, go in no new round). */
    async listTaskIdsOfPlan(planId: number): Promise<number[]> {
      const rows = await db.selectFrom('tasks').select('id').where('plan_id', '=', planId).where('retired_at', 'is', null).orderBy('position').execute();
      return rows.map((r) => r.id);
    },

    /**
     * Every unit that answers in the round: assigned to at least one of its tasks and not
     * collective (012), or a member unit answering a collective unit's task.
     */
    async listUnitIdsOfRound(roundId: number): Promise<number[]> {
      const rows = await db
        .selectFrom('task_units')
        .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select('task_units.unit_id')
        .where('round_tasks.round_id', '=', roundId)
        .where('units.collective', '=', 0)
        .union(db.selectFrom('round_task_units').select('round_task_units.unit_id').where('round_task_units.round_id', '=', roundId))
        .execute();
      return [...new Set(rows.map((r) => r.unit_id))].sort((a, b) => a - b);
    },

    /**
     * At opening (012): each collective unit's tasks in the round go to the member units it is
     * mapped to, as co-units, unless the plan already names the member on that task. Returns the
     * collective units of the round and how many member assignments each gave (0: the office answers it).
     */
    async assignCollectiveTasks(roundId: number): Promise<{ unitId: number; unitName: string; members: number }[]> {
      const collective = await db
        .selectFrom('task_units')
        .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.task_id as taskId', 'units.id as unitId', 'units.name as unitName'])
        .where('round_tasks.round_id', '=', roundId)
        .where('units.collective', '=', 1)
        .orderBy('task_units.task_id')
        .orderBy('task_units.position')
        .execute();
      if (collective.length === 0) return [];
      const unitIds = [...new Set(collective.map((row) => row.unitId))];
      const taskIds = [...new Set(collective.map((row) => row.taskId))];
      const [members, named] = await Promise.all([
        db
          .selectFrom('collective_unit_members')
          .select(['unit_id', 'member_unit_id'])
          .where('unit_id', 'in', unitIds)
          .orderBy('unit_id')
          .orderBy('position')
          .execute(),
        db.selectFrom('task_units').select(['task_id', 'unit_id', 'position']).where('task_id', 'in', taskIds).execute(),
      ]);
      const membersOf = groupBy(
        members,
        (row) => row.unit_id,
        (row) => row.member_unit_id,
      );
      const rows: { round_id: number; task_id: number; unit_id: number; via_unit_id: number; position: number }[] = [];
      const given = new Map<number, number>();
      for (const taskId of taskIds) {
        const onTask = named.filter((row) => row.task_id === taskId);
        const taken = new Set(onTask.map((row) => row.unit_id));
        // After every unit the plan names on the task, so answers never share a place.
        let position = Math.max(0, ...onTask.map((row) => row.position)) + 1;
        for (const row of collective.filter((c) => c.taskId === taskId))
          for (const memberId of membersOf.get(row.unitId) ?? []) {
            if (taken.has(memberId)) continue;
            taken.add(memberId);
            rows.push({ round_id: roundId, task_id: taskId, unit_id: memberId, via_unit_id: row.unitId, position: position++ });
            given.set(row.unitId, (given.get(row.unitId) ?? 0) + 1);
          }
      }
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('round_task_units')
          .values(rows.slice(i, i + 500))
          .execute();
      return unitIds.map((unitId) => ({ unitId, unitName: collective.find((row) => row.unitId === unitId)!.unitName, members: given.get(unitId) ?? 0 }));
    },

    /** What the units did in a round so far: answers with text, and submissions moved past 未填报 (a round with neither may be voided). */
    async countSavedWork(roundId: number): Promise<{ answers: number; submissions: number }> {
      const [answers, submissions] = await Promise.all([
        db
          .selectFrom('progress_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('round_id', '=', roundId)
          .where(sql<boolean>`length(trim(text)) > 0`)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('unit_submissions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('round_id', '=', roundId)
          .where('state', '<>', 'not_started')
          .executeTakeFirstOrThrow(),
      ]);
      return { answers: Number(answers.n), submissions: Number(submissions.n) };
    },

    /** One unit's own deadline (null: the round's), bumping the submission's version so a concurrent move notices. */
    async setSubmissionDeadline(id: number, deadline: string | null, now: string): Promise<void> {
      await db
        .updateTable('unit_submissions')
        .set((eb) => ({ deadline, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },

    /**
     * The units of these tasks (collective units replaced by their member units) that have no
     * enabled 处室负责人 account: in a round that requires approval nobody could approve them.
     */
    async listUnitsWithoutHead(taskIds: readonly number[]): Promise<{ id: number; name: string }[]> {
      if (taskIds.length === 0) return [];
      const heads = db
        .selectFrom('users')
        .select('users.unit_id')
        .where('users.role', '=', 'unit_head')
        .where('users.disabled', '=', 0)
        .where('users.unit_id', 'is not', null);
      const named = db
        .selectFrom('task_units')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['units.id', 'units.name'])
        .where('task_units.task_id', 'in', taskIds)
        .where('units.collective', '=', 0);
      const members = db
        .selectFrom('task_units')
        .innerJoin('units as collective', 'collective.id', 'task_units.unit_id')
        .innerJoin('collective_unit_members', 'collective_unit_members.unit_id', 'collective.id')
        .innerJoin('units', 'units.id', 'collective_unit_members.member_unit_id')
        .select(['units.id', 'units.name'])
        .where('task_units.task_id', 'in', taskIds)
        .where('collective.collective', '=', 1);
      const rows = await db
        .selectFrom(named.union(members).as('candidates'))
        .select(['candidates.id', 'candidates.name'])
        .where('candidates.id', 'not in', heads)
        .execute();
      return rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    },

    /** Collective units (012) named by these tasks, with the member units each stands for. */
    async listCollectiveUnitsOfTasks(taskIds: readonly number[] | null): Promise<{ id: number; name: string; members: { id: number; name: string }[] }[]> {
      let query = db.selectFrom('units').select(['units.id', 'units.name']).where('units.collective', '=', 1);
      if (taskIds !== null) {
        if (taskIds.length === 0) return [];
        query = query.where('units.id', 'in', db.selectFrom('task_units').select('task_units.unit_id').where('task_units.task_id', 'in', taskIds));
      }
      const units = await query.orderBy('units.id').execute();
      if (units.length === 0) return [];
      const members = await db
        .selectFrom('collective_unit_members')
        .innerJoin('units', 'units.id', 'collective_unit_members.member_unit_id')
        .select(['collective_unit_members.unit_id as collectiveId', 'units.id', 'units.name'])
        .where(
          'collective_unit_members.unit_id',
          'in',
          units.map((u) => u.id),
        )
        .orderBy('collective_unit_members.position')
        .execute();
      return units.map((unit) => ({ ...unit, members: members.filter((m) => m.collectiveId === unit.id).map((m) => ({ id: m.id, name: m.name })) }));
    },

    async findUnit(unitId: number): Promise<{ id: number; name: string; collective: number } | undefined> {
      return db.selectFrom('units').select(['id', 'name', 'collective']).where('id', '=', unitId).executeTakeFirst();
    },

    /** Replaces the member units a collective unit stands for (none: the office answers it). */
    async setCollectiveMembers(unitId: number, memberIds: readonly number[]): Promise<void> {
      await db.deleteFrom('collective_unit_members').where('unit_id', '=', unitId).execute();
      if (memberIds.length > 0)
        await db
          .insertInto('collective_unit_members')
          .values(memberIds.map((memberId, index) => ({ unit_id: unitId, member_unit_id: memberId, position: index + 1 })))
          .execute();
    },

    /** The collective units (012) the round's tasks name. */
    async listCollectiveUnitsOfRound(roundId: number): Promise<{ id: number; name: string }[]> {
      return db
        .selectFrom('units')
        .select(['units.id', 'units.name'])
        .where('units.collective', '=', 1)
        .where(
          'units.id',
          'in',
          db
            .selectFrom('task_units')
            .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
            .select('task_units.unit_id')
            .where('round_tasks.round_id', '=', roundId),
        )
        .orderBy('units.id')
        .execute();
    },

    /** The collective units of a round and the member units that answer for each, as fixed at opening. */
    async listCollectiveAssignments(roundId: number): Promise<{ viaUnitId: number; unitId: number; unitName: string }[]> {
      return db
        .selectFrom('round_task_units')
        .innerJoin('units', 'units.id', 'round_task_units.unit_id')
        .select(['round_task_units.via_unit_id as viaUnitId', 'units.id as unitId', 'units.name as unitName'])
        .distinct()
        .where('round_task_units.round_id', '=', roundId)
        .execute();
    },

    /** The member units that answer one collective unit's tasks in a round, as fixed at opening (none: the office answers it). */
    async listMembersAnsweringFor(roundId: number, collectiveUnitId: number): Promise<{ id: number; name: string }[]> {
      return db
        .selectFrom('round_task_units')
        .innerJoin('units', 'units.id', 'round_task_units.unit_id')
        .select(['units.id', 'units.name'])
        .distinct()
        .where('round_task_units.round_id', '=', roundId)
        .where('round_task_units.via_unit_id', '=', collectiveUnitId)
        .orderBy('units.id')
        .execute();
    },

    async insertSubmissions(roundId: number, unitIds: readonly number[], now: string): Promise<void> {
      if (unitIds.length === 0) return;
      await db
        .insertInto('unit_submissions')
        .values(unitIds.map((unitId) => ({ round_id: roundId, unit_id: unitId, state: 'not_started', version: 1, updated_at: now })))
        .execute();
    },

    async findSubmission(roundId: number, unitId: number): Promise<SubmissionRecord | undefined> {
      return (await submissionOfUnit.execute(db, { roundId, unitId })).rows[0];
    },

    async listSubmissions(roundId: number): Promise<SubmissionRecord[]> {
      return db
        .selectFrom('unit_submissions')
        .innerJoin('units', 'units.id', 'unit_submissions.unit_id')
        .innerJoin('rounds', 'rounds.id', 'unit_submissions.round_id')
        .selectAll('unit_submissions')
        .select(['units.name as unit_name', 'units.phone as unit_phone', 'rounds.requires_approval as round_requires_approval'])
        .where('unit_submissions.round_id', '=', roundId)
        .orderBy('units.name')
        .execute();
    },

    /** Moves a submission only if nobody moved it since `expectedVersion` was read; returns rows changed. */
    async transitionSubmission(
      id: number,
      expectedVersion: number,
      change: Partial<Omit<Selectable<UnitSubmissionsTable>, 'id' | 'round_id' | 'unit_id' | 'version'>> & { updated_at: string },
    ): Promise<number> {
      const result = await db
        .updateTable('unit_submissions')
        .set({ ...change, version: expectedVersion + 1 })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** The unit's tasks in the round, in plan order, with the unit's role on each. */
    async listUnitTasksOfRound(roundId: number, unitId: number): Promise<UnitTaskRecord[]> {
      const [own, forCollectives] = await Promise.all([unitTasksOfRound.execute(db, { roundId, unitId }), memberTasksOfRound.execute(db, { roundId, unitId })]);
      if (forCollectives.rows.length === 0) return own.rows;
      const known = new Set(own.rows.map((row) => row.taskId));
      const extra = forCollectives.rows.filter((row) => !known.has(row.taskId)).map((row) => ({ ...row, role: 'co' as const }));
      return [...own.rows, ...extra].sort((a, b) => a.position - b.position);
    },

    /** Every answer (all units, and unattributed imported text) on the unit's tasks in the round, by task and position. */
    async listAnswersOnUnitTasks(roundId: number, unitId: number): Promise<AnswerRecord[]> {
      return (await answersOnUnitTasks.execute(db, { roundId, unitId })).rows;
    },

    /** Who wrote what in an earlier round on the unit's tasks of this one (last round's text beside each box). */
    async listEarlierTextsOnUnitTasks(
      earlierRoundId: number,
      roundId: number,
      unitId: number,
    ): Promise<{ task_id: number; unit_id: number | null; text: string }[]> {
      return (await earlierTextsOnUnitTasks.execute(db, { earlierRoundId, roundId, unitId })).rows;
    },

    /**
     * Last round's text for one of the unit's tasks, as the to-do shows it beside the box (the
     * unit's own; for the lead unit, the text the document did not attribute): what 沿用上轮 copies.
     */
    async findEarlierTextOfTask(earlierRoundId: number, taskId: number, unitId: number): Promise<string | null> {
      const rows = (await earlierTextsOfTask.execute(db, { earlierRoundId, taskId, unitId })).rows;
      return earlierTextOf(rows, unitId, rows[0]?.role === 'lead' ? 'lead' : 'co');
    },

    /** The leaders in charge of each of the unit's tasks in the round, in the plan's order. */
    async listLeadersOnUnitTasks(roundId: number, unitId: number): Promise<{ taskId: number; name: string }[]> {
      return (await leadersOnUnitTasks.execute(db, { roundId, unitId })).rows;
    },

    /** Every unit of the tasks this unit leads in the round, with its role and its submission's state (null: none). */
    async listUnitsOfLedTasks(
      roundId: number,
      unitId: number,
    ): Promise<{ taskId: number; unitId: number; unitName: string; role: string; state: string | null }[]> {
      return (await unitsOfLedTasks.execute(db, { roundId, unitId })).rows;
    },

    /** The round, the unit's submission, the task's assignment and the stored answer, for a save; undefined if there is no such round. */
    async findSaveContext(roundId: number, taskId: number, unitId: number): Promise<SaveContext | undefined> {
      const [row] = (await saveContext.execute(db, { roundId, taskId, unitId })).rows;
      if (!row) return undefined;
      return {
        round: { status: row.round_status, label: row.round_label, plan_id: row.round_plan_id },
        submission: row.submission_id === null ? undefined : { id: row.submission_id, state: row.submission_state!, version: Number(row.submission_version) },
        assigned: Boolean(row.assigned),
        answer:
          row.answer_id === null
            ? undefined
            : {
                id: row.answer_id,
                round_id: roundId,
                task_id: row.answer_task_id!,
                unit_id: row.answer_unit_id,
                position: row.answer_position!,
                text: row.answer_text!,
                status: row.answer_status,
                reason: row.answer_reason,
                version: Number(row.answer_version),
                created_at: row.answer_created_at!,
                updated_at: row.answer_updated_at!,
                updated_by: row.answer_updated_by,
                review_state: row.answer_review_state,
                review_comment: row.answer_review_comment,
                reviewed_at: row.answer_reviewed_at,
                reviewed_by: row.answer_reviewed_by,
                copied_from_round_id: row.answer_copied_from_round_id,
                copied_unchanged: row.answer_copied_unchanged === null ? null : Number(row.answer_copied_unchanged),
                attribution: row.answer_attribution,
              },
      };
    },

    async findAnswer(roundId: number, taskId: number, unitId: number): Promise<AnswerRecord | undefined> {
      return (await answerOfUnit.execute(db, { roundId, taskId, unitId })).rows[0];
    },

    /** Answers of a round for some tasks (all units, including unattributed imported text). */
    async listAnswersOfTasks(roundId: number, taskIds: readonly number[]): Promise<AnswerRecord[]> {
      if (taskIds.length === 0) return [];
      return db
        .selectFrom('progress_entries')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('task_id', 'in', taskIds)
        .orderBy('task_id')
        .orderBy('position')
        .execute();
    },

    /** A unit's first answer on a task; it takes the unit's place in the task's unit order, so co-units never share a position. */
    async insertAnswer(answer: AnswerChange & { roundId: number; taskId: number; unitId: number }): Promise<AnswerRecord> {
      const [row] = (await insertAnswer.execute(db, answer)).rows;
      return row!;
    },

    /** Compare-and-set on `stored`'s version: the answer as stored now, or undefined if someone saved in between. */
    async updateAnswer(stored: AnswerRecord, change: AnswerChange): Promise<AnswerRecord | undefined> {
      const nextVersion = stored.version + 1;
      const result = await updateAnswer.execute(db, { id: stored.id, expectedVersion: stored.version, nextVersion, ...change });
      if (Number(result.numAffectedRows ?? 0) !== 1) return undefined;
      return {
        ...stored,
        text: change.text,
        status: change.status,
        reason: change.reason,
        updated_by: change.updatedBy,
        updated_at: change.now,
        version: nextVersion,
        copied_from_round_id: change.copiedFromRoundId,
        copied_unchanged: change.copiedUnchanged,
      };
    },

    /** How many of the unit's tasks in the round have non-empty answer text. */
    async countAnsweredByUnit(roundId: number): Promise<Map<number, number>> {
      const rows = await db
        .selectFrom('progress_entries')
        .select(['unit_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('round_id', '=', roundId)
        .where('unit_id', 'is not', null)
        .where(sql<boolean>`length(trim(text)) > 0`)
        .groupBy('unit_id')
        .execute();
      return new Map(rows.map((r) => [r.unit_id!, Number(r.n)]));
    },

    async countTasksByUnit(roundId: number): Promise<Map<number, number>> {
      const rows = await db
        .selectFrom('task_units')
        .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
        .select(['task_units.unit_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('round_tasks.round_id', '=', roundId)
        .groupBy('task_units.unit_id')
        .execute();
      const counts = new Map(rows.map((r) => [r.unit_id, Number(r.n)]));
      // Tasks a member unit answers for a collective unit (012).
      const extra = await db
        .selectFrom('round_task_units')
        .select(['unit_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('round_id', '=', roundId)
        .groupBy('unit_id')
        .execute();
      for (const row of extra) counts.set(row.unit_id, (counts.get(row.unit_id) ?? 0) + Number(row.n));
      return counts;
    },

    async insertReminder(reminder: { roundId: number; unitId: number; message: string; sentBy: string; now: string }): Promise<number> {
      const row = await db
        .insertInto('reminders')
        .values({ round_id: reminder.roundId, unit_id: reminder.unitId, message: reminder.message, sent_by: reminder.sentBy, sent_at: reminder.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async lastReminderByUnit(roundId: number): Promise<Map<number, string>> {
      const rows = await db
        .selectFrom('reminders')
        .select(['unit_id', (eb) => eb.fn.max('sent_at').as('last')])
        .where('round_id', '=', roundId)
        .groupBy('unit_id')
        .execute();
      return new Map(rows.map((r) => [r.unit_id, String(r.last)]));
    },

    /**
     * One in-app message; who reads it follows from `kind` (src/domain/notification-kinds.ts).
     * `taskId` (optional) names the task it is about, for a link.
     */
    async insertNotification(notification: {
      unitId: number | null;
      userId: number | null;
      roundId: number | null;
      kind: string;
      message: string;
      now: string;
      taskId?: number | null;
    }): Promise<void> {
      await db
        .insertInto('notifications')
        .values({
          unit_id: notification.unitId,
          user_id: notification.userId,
          round_id: notification.roundId,
          task_id: notification.taskId ?? null,
          kind: notification.kind,
          message: notification.message,
          created_at: notification.now,
        })
        .execute();
    },

    async findIdempotentResponse(key: string, actor: string, scope: string): Promise<{ status_code: number; body: string } | undefined> {
      return db
        .selectFrom('idempotency_keys')
        .select(['status_code', 'body'])
        .where('key', '=', key)
        .where('actor', '=', actor)
        .where('scope', '=', scope)
        .executeTakeFirst();
    },

    async insertIdempotentResponse(entry: { key: string; actor: string; scope: string; statusCode: number; body: string; now: string }): Promise<void> {
      await db
        .insertInto('idempotency_keys')
        .values({ key: entry.key, actor: entry.actor, scope: entry.scope, status_code: entry.statusCode, body: entry.body, created_at: entry.now })
        .execute();
    },

    // Review per answer, the approval chain and its heads (issue 12).

    /** The unit's own answers in the round (with their reviews), by task. */
    async listOwnAnswers(roundId: number, unitId: number): Promise<AnswerRecord[]> {
      return db.selectFrom('progress_entries').selectAll().where('round_id', '=', roundId).where('unit_id', '=', unitId).orderBy('task_id').execute();
    },

    /**
     * Writes one review onto the unit's answers to `taskIds` (all of the unit's answers when
     * omitted) whose review state is one of `from` (null: not yet reviewed); returns rows changed.
     * A comment of undefined leaves the stored one.
     */
    async setAnswerReviews(
      roundId: number,
      unitId: number,
      review: {
        taskIds?: readonly number[];
        from: readonly (ReviewState | null)[];
        to: ReviewState | null;
        comment?: string | null;
        at: string | null;
        by: string | null;
      },
    ): Promise<number> {
      const states = review.from.filter((state): state is ReviewState => state !== null);
      const result = await db
        .updateTable('progress_entries')
        .set({
          review_state: review.to,
          reviewed_at: review.at,
          reviewed_by: review.by,
          ...(review.comment === undefined ? {} : { review_comment: review.comment }),
        })
        .where('round_id', '=', roundId)
        .where('unit_id', '=', unitId)
        .$if(review.taskIds !== undefined, (q) => q.where('task_id', 'in', review.taskIds!.length > 0 ? review.taskIds! : [-1]))
        .where((eb) =>
          eb.or([...(states.length > 0 ? [eb('review_state', 'in', states)] : []), ...(review.from.includes(null) ? [eb('review_state', 'is', null)] : [])]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Whether the unit has an active 处室负责人 account (role unit_head, not disabled). */
    async hasActiveHead(unitId: number): Promise<boolean> {
      const row = await db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'unit_head')
        .where('unit_id', '=', unitId)
        .where('disabled', '=', 0)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The units of a round that have no active head account, by name. */
    async listUnitsWithoutHeadOfRound(roundId: number): Promise<{ unitId: number; unitName: string }[]> {
      return db
        .selectFrom('unit_submissions')
        .innerJoin('units', 'units.id', 'unit_submissions.unit_id')
        .select(['units.id as unitId', 'units.name as unitName'])
        .where('unit_submissions.round_id', '=', roundId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('users')
                .select('users.id')
                .whereRef('users.unit_id', '=', 'units.id')
                .where('users.role', '=', 'unit_head')
                .where('users.disabled', '=', 0),
            ),
          ),
        )
        .orderBy('units.name')
        .execute();
    },
  };
}

export type RoundWorkRepository = ReturnType<typeof createRoundWorkRepository>;
