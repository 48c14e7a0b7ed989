import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { systemActor } from '../../../domain/actor.ts';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { buildNotice, buildPlanDocument } from '../../../../tests/support/factories.ts';
import { createPlanImportService } from '../../services/plan-import.service.ts';
import { down, up } from './008_notice_versions.ts';

forEachEngine('migration 008 (notice versions)', (it) => {
  it('stops on a document number two rounds share, naming it, and changes nothing; runs once they differ', async (database) => {
    const imports = createPlanImportService({ database });
    const source = { fileName: 'test.txt', contentHash: 'sha256:test' };
    await imports.importDocument(systemActor('test'), buildPlanDocument(), source);
    const other = await imports.importDocument(
      systemActor('test'),
      buildPlanDocument({ plan: { title: '另一个分工方案', docNumber: null }, notice: buildNotice({ docNumber: '川环办发〔2017〕120号' }) }),
      source,
    );
    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    // Before 008 nothing kept two rounds from one number.
    await database.db.updateTable('notices').set({ doc_number: '川环办发〔2017〕102号' }).execute();

    await assert.rejects(up(db), /同一通报文号用于多个调度.*川环办发〔2017〕102号（2 个调度）/);
    const columns = (await tablesHere(db)).find((table) => table.name === 'notices')!.columns.map((column) => column.name);
    assert.ok(!columns.includes('version'), 'the refused migration added nothing');

    await database.db.updateTable('notices').set({ doc_number: '川环办发〔2017〕120号' }).where('round_id', '=', other.roundId).execute();
    await up(db);
    const rows = await database.db.selectFrom('notices').select(['doc_number', 'version', 'updated_at']).orderBy('round_id').execute();
    assert.deepEqual(
      rows.map((row) => [row.doc_number, Number(row.version), row.updated_at]),
      [
        ['川环办发〔2017〕102号', 1, null],
        ['川环办发〔2017〕120号', 1, null],
      ],
      'notices already stored become version 1',
    );
  });
});
