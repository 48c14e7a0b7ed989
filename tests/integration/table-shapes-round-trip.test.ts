import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { tasksOf } from '../../src/domain/plan-document.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { createPlanExportService } from '../../src/server/services/plan-export.service.ts';
import { createPlanImportService } from '../../src/server/services/plan-import.service.ts';
import { BUREAU_TASKS, bureauXlsx } from '../fixtures/import/bureau-table.ts';
import { forEachEngine } from '../support/databases.ts';

const actor = systemActor('test');

/** A city bureau's Excel table with 完成时限 (issue 14): its due dates are stored with the tasks and exported again. */
forEachEngine('a bureau’s table with due dates: read → import → json export → import', (it) => {
  it('stores every due date, exports the identical JSON, and reads that JSON back as the same plan', async (database) => {
    const read = readPlanDocument(bureauXlsx(), '调度表.xlsx');
    const imports = createPlanImportService({ database });
    const outcome = await imports.importDocument(actor, read.document, { fileName: '调度表.xlsx', contentHash: read.contentHash });
    assert.equal(outcome.status, 'created');

    const stored = await database.db.selectFrom('tasks').select(['text', 'due']).orderBy('position').execute();
    assert.deepEqual(
      stored.map((row) => row.due),
      BUREAU_TASKS.map((task) => task.due ?? null),
    );

    const exported = await createPlanExportService({ database }).exportDocument(actor, {});
    assert.equal(JSON.stringify(exported), JSON.stringify(read.document));
    assert.deepEqual(
      [...tasksOf(exported)].map(({ task }) => task.due),
      BUREAU_TASKS.map((task) => task.due),
    );

    const json = readPlanDocument(new TextEncoder().encode(JSON.stringify(exported)), '调度表.json');
    assert.equal(json.contentHash, read.contentHash);
    const again = await imports.importDocument(actor, json.document, { fileName: '调度表.json', contentHash: json.contentHash });
    assert.equal(again.status, 'unchanged');
  });

  it('refuses a re-import whose due date differs, naming it', async (database) => {
    const read = readPlanDocument(bureauXlsx(), '调度表.xlsx');
    const imports = createPlanImportService({ database });
    await imports.importDocument(actor, read.document, { fileName: '调度表.xlsx', contentHash: read.contentHash });
    const changed = structuredClone(read.document);
    changed.chapters[0]!.sections[0]!.tasks[0]!.due = '2018年9月底前';
    await assert.rejects(
      imports.importDocument(actor, changed, { fileName: '改.json', contentHash: 'x' }),
      (error: unknown) => isDomainError(error) && error.code === 'plan_differs',
    );
  });
});
