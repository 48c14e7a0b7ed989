import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createNoticeService, parseDocNumber } from './notice.service.ts';
import { createPlanImportService } from './plan-import.service.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');
const office: Actor = { kind: 'user', userId: 1, username: 'office', name: '办公室', role: 'office', unitId: null };
const leader: Actor = { kind: 'user', userId: 2, username: 'leader', name: '厅领导', role: 'leader', unitId: null };

forEachEngine('notice numbers', (it) => {
  it('suggests the largest stored number of the year plus one, 1 for a year without any; office only', async (database) => {
    const system: Actor = { kind: 'system', name: 'test', userId: null };
    const { roundId } = await createPlanImportService({ database }).importDocument(system, seed.document, {
      fileName: 'seed.txt',
      contentHash: seed.contentHash,
    });
    const notices = createNoticeService({ database });
    assert.deepEqual(await notices.suggestNextNumber(office, roundId, 2017), {
      prefix: '川环办发',
      year: 2017,
      number: 103,
      docNumber: '川环办发〔2017〕103号',
    });
    assert.equal((await notices.suggestNextNumber(office, roundId, 2018)).docNumber, '川环办发〔2018〕1号');
    assert.equal((await notices.suggestNextNumber(office, roundId, 2017, '川环发')).number, 1, 'another prefix counts on its own');
    await assert.rejects(notices.suggestNextNumber(leader, roundId, 2017), (e: unknown) => isDomainError(e) && e.kind === 'forbidden');
    await assert.rejects(notices.suggestNextNumber(office, roundId, 17), (e: unknown) => isDomainError(e) && e.code === 'notice_year_invalid');
    await assert.rejects(notices.suggestNextNumber(office, 999_999, 2017), (e: unknown) => isDomainError(e) && e.code === 'round_not_found');
  });
});

test('doc numbers parse into prefix, year and number without leading zeros', () => {
  assert.deepEqual(parseDocNumber('川环办发〔2017〕0102号'), { prefix: '川环办发', year: 2017, number: 102 });
  assert.equal(parseDocNumber('川环办发[2017]102号'), null);
});
