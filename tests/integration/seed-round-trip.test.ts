import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { systemActor } from '../../src/domain/actor.ts';
import { tasksOf } from '../../src/domain/plan-document.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { createPlanExportService } from '../../src/server/services/plan-export.service.ts';
import { createPlanImportService } from '../../src/server/services/plan-import.service.ts';
import { forEachEngine } from '../support/databases.ts';
import { countRows } from '../support/db-inspection.ts';

const SEED = new URL('../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url);
const actor = systemActor('test');

/** The real notice, read by the seed reader, stored, and given back unchanged. */
forEachEngine('seed document: read → import → export', (it) => {
  it('stores the seed and exports the identical JSON; a second import is unchanged', async (database) => {
    const read = readPlanDocument(readFileSync(SEED), 'sichuan-2017-q2-notice.txt');
    const imports = createPlanImportService({ database });
    const outcome = await imports.importDocument(actor, read.document, { fileName: 'sichuan-2017-q2-notice.txt', contentHash: read.contentHash });
    assert.equal(outcome.status, 'created');
    const tasks = [...tasksOf(read.document)];
    assert.equal(outcome.tasks, tasks.length);
    assert.ok(outcome.tasks > 50, `the seed has many tasks (${outcome.tasks})`);

    const counts = await countRows(database);
    assert.equal(counts.tasks, tasks.length);
    assert.equal(counts.progress_entries, outcome.progressEntries);

    const exported = await createPlanExportService({ database }).exportDocument(actor, {});
    assert.equal(JSON.stringify(exported), JSON.stringify(read.document));

    const again = await imports.importDocument(actor, read.document, { fileName: 'copy.txt', contentHash: read.contentHash });
    assert.equal(again.status, 'unchanged');
  });
});
