import { readFileSync } from 'node:fs';
import { systemActor, type UserActor } from '../../src/domain/actor.ts';
import type { Role } from '../../src/domain/api/roles.ts';
import type { PlanDocument } from '../../src/domain/plan-document.ts';
import type { Database } from '../../src/server/db/database.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { createPlanImportService } from '../../src/server/services/plan-import.service.ts';

/** The project's copy of the real seed notice (Sichuan, Q2 2017). */
export const SEED_FILE = new URL('../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url);

let seedDocument: PlanDocument | undefined;

/** The seed as the reader gives it (read once per test process). */
export function readSeedDocument(): PlanDocument {
  seedDocument ??= readPlanDocument(readFileSync(SEED_FILE), 'sichuan-2017-q2-notice.txt').document;
  return seedDocument;
}

/** Imports the seed into `database`: one plan, one imported round. */
export async function importSeed(database: Database): Promise<{ planId: number; roundId: number; document: PlanDocument }> {
  const document = readSeedDocument();
  const outcome = await createPlanImportService({ database }).importDocument(systemActor('test'), document, {
    fileName: 'sichuan-2017-q2-notice.txt',
    contentHash: 'seed',
  });
  return { planId: outcome.planId, roundId: outcome.roundId, document };
}

let nextUserId = 9000;

/** A signed-in person of `role` (no account row: services take the actor as given). */
export function userActor(role: Role, overrides: Partial<Omit<UserActor, 'kind' | 'role'>> = {}): UserActor {
  const userId = overrides.userId ?? nextUserId++;
  return {
    kind: 'user',
    userId,
    username: overrides.username ?? `${role}-${userId}`,
    name: overrides.name ?? `测试${role}`,
    role,
    unitId: overrides.unitId ?? null,
  };
}

/** The id of a stored unit, by name. */
export async function unitIdOf(database: Database, name: string): Promise<number> {
  const row = await database.db.selectFrom('units').select('id').where('name', '=', name).executeTakeFirst();
  if (!row) throw new Error(`no unit named ${name}`);
  return row.id;
}

/** The id of a task of the plan whose text contains `fragment` (the first in plan order). */
export async function taskIdContaining(database: Database, planId: number, fragment: string): Promise<number> {
  const rows = await database.db.selectFrom('tasks').select(['id', 'text']).where('plan_id', '=', planId).orderBy('position').execute();
  const row = rows.find((candidate) => candidate.text.includes(fragment));
  if (!row) throw new Error(`no task contains ${fragment}`);
  return row.id;
}

/** A clock the test moves: the server's clock decides deadlines, traffic lights and late submits. */
export function movableClock(start = '2017-09-20T09:00:00+08:00') {
  let current = new Date(start);
  return { now: () => current, set: (iso: string) => (current = new Date(iso)) };
}

/**
 * What the round-workflow service tests start from: the seed imported, its units by name, people
 * to act as (no account rows: services take the actor as given) and the services' dependencies
 * on a clock the test moves.
 */
export async function seededRoundWork(database: Database) {
  const time = movableClock();
  const { planId, roundId } = await importSeed(database);
  const units = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  const unit = (name: string): number => {
    const id = units.get(name);
    if (id === undefined) throw new Error(`no unit named ${name}`);
    return id;
  };
  let nextUser = 100;
  const person = (role: Role, unitName?: string): UserActor => ({
    kind: 'user',
    userId: nextUser++,
    username: `${role}-${unitName ?? 'x'}`,
    name: `${role}${unitName ?? ''}`,
    role,
    unitId: unitName ? unit(unitName) : null,
  });
  return { time, planId, importedRoundId: roundId, unit, person, deps: { database, now: time.now } };
}
