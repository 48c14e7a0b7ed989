import assert from 'node:assert/strict';
import { systemActor } from '../../domain/actor.ts';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { planDocumentSchema, type PlanDocument } from '../../domain/plan-document.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { countRows } from '../../../tests/support/db-inspection.ts';
import { allTasks, buildChapters, buildNextRoundDocument, buildNotice, buildPlanDocument } from '../../../tests/support/factories.ts';
import { createPlanExportService } from './plan-export.service.ts';
import { createPlanImportService } from './plan-import.service.ts';

const actor = systemActor('test');
const source = { fileName: 'plan.json', contentHash: 'sha256:x' };

function services(database: TestDatabase) {
  return { imports: createPlanImportService({ database }), exports: createPlanExportService({ database }) };
}

async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  assert.fail('expected a DomainError');
}

/** Import, export, and compare the JSON text: the promise of `diaodu.plan/1`. */
async function roundTrip(database: TestDatabase, document: PlanDocument): Promise<void> {
  const { imports, exports } = services(database);
  await imports.importDocument(actor, document, source);
  const exported = await exports.exportDocument(actor, { roundLabel: document.round.label });
  assert.equal(JSON.stringify(exported, null, 2), JSON.stringify(document, null, 2));
}

forEachEngine('plan export service', (it) => {
  it('import then export gives the identical JSON text', async (database) => {
    const document = buildPlanDocument();
    await roundTrip(database, document);
    // The factory writes fields in schema order; so does a parse of the schema.
    assert.equal(JSON.stringify(planDocumentSchema.parse(document)), JSON.stringify(document));
  });

  it('keeps each task’s 完成时限 (tasks[].due) as written, and no due where a task has none', async (database) => {
    const document = buildPlanDocument();
    const [first, second] = allTasks(document);
    first!.due = '2018年6月底前';
    second!.due = '长期坚持';
    // Fields in schema order, as the exporter writes them: due after units.
    await roundTrip(database, planDocumentSchema.parse(document));
    const exported = await services(database).exports.exportDocument(actor, { roundLabel: document.round.label });
    assert.deepEqual(
      allTasks(exported)
        .map((task) => task.due ?? null)
        .slice(0, 3),
      ['2018年6月底前', '长期坚持', null],
    );
  });

  it('keeps unit order and roles, aliases in their order, and a progress entry with no unit', async (database) => {
    const { imports, exports } = services(database);
    await imports.importDocument(actor, buildPlanDocument({ unitAliases: { 环评: '环评处', 总队: '监察总队' } }), source);
    const exported = await exports.exportDocument(actor, {});
    const task = allTasks(exported)[1]!;
    assert.deepEqual(task.units, [
      { name: '水处', role: 'lead' },
      { name: '监测处', role: 'co' },
      { name: '监察总队', role: 'co' },
    ]);
    assert.deepEqual(task.progress[2], { unit: null, text: '正在按期推进落实。' });
    assert.deepEqual(Object.entries(exported.unitAliases), [
      ['环评', '环评处'],
      ['总队', '监察总队'],
    ]);
  });

  it('round-trips the awkward cases: empty sections, no notice, no aliases, nulls, long and odd text', async (database) => {
    const chapters = buildChapters();
    chapters.push({ number: 0, title: '', sections: [{ number: 1, title: '空节', tasks: [] }] });
    chapters.push({ number: 12, title: '无节之章', sections: [] });
    const odd = allTasks({ chapters } as PlanDocument)[0]!;
    odd.text = `=cmd|' /C calc'!A0 <img src=x onerror=alert(1)> ' OR 1=1-- 𠀀 emoji 🌏 \u3000全角空格 ${'长'.repeat(4_900)}`;
    odd.progress = [{ unit: null, text: 'P'.repeat(20_000) }];
    odd.warnings = ['单元格错位 / shifted cell', '"quoted" \\ backslash'];
    const document = buildPlanDocument({ chapters, notice: null, unitAliases: {}, round: { periodStart: null, periodEnd: null }, plan: { docNumber: null } });
    await roundTrip(database, document);
  });

  it('round-trips a notice with empty and null fields', async (database) => {
    const document = buildPlanDocument({
      notice: {
        issuingOffice: null,
        docNumber: null,
        title: '',
        recipients: null,
        body: [],
        attachment: null,
        issuer: null,
        date: null,
        contact: { unit: null, name: null, phone: null },
        cc: [],
        printed: { by: null, date: null },
      },
    });
    await roundTrip(database, document);
  });

  it('exports each stored round as it was imported, and the latest round by default', async (database) => {
    const { imports, exports } = services(database);
    const second = buildPlanDocument();
    const third = buildNextRoundDocument();
    // Imported out of order: "latest" follows the period, not the import order.
    await imports.importDocument(actor, third, source);
    await imports.importDocument(actor, second, source);
    assert.equal(JSON.stringify(await exports.exportDocument(actor, { roundLabel: '2017年第二季度' })), JSON.stringify(second));
    assert.equal(JSON.stringify(await exports.exportDocument(actor, { roundLabel: '2017年第三季度' })), JSON.stringify(third));
    assert.equal((await exports.exportDocument(actor, {})).round.label, '2017年第三季度');
  });

  it('an unknown round is not found, and the error lists the available labels', async (database) => {
    const { imports, exports } = services(database);
    await imports.importDocument(actor, buildPlanDocument(), source);
    await imports.importDocument(actor, buildNextRoundDocument(), source);
    const error = await domainErrorOf(exports.exportDocument(actor, { roundLabel: '2018年第一季度' }));
    assert.deepEqual([error.kind, error.code], ['not_found', 'round_not_found']);
    assert.deepEqual(error.details.available, ['2017年第二季度', '2017年第三季度']);
    assert.match(error.message, /没有调度“2018年第一季度”，已有：“2017年第二季度”、“2017年第三季度”/);
  });

  it('several plans need a plan id; the error lists them; with the id each exports', async (database) => {
    const { imports, exports } = services(database);
    const first = await imports.importDocument(actor, buildPlanDocument(), source);
    const otherDocument = buildPlanDocument({
      plan: { title: '另一个分工方案', docNumber: '川环办发〔2018〕1号' },
      notice: buildNotice({ docNumber: '川环办发〔2018〕5号' }),
    });
    const other = await imports.importDocument(actor, otherDocument, source);
    const error = await domainErrorOf(exports.exportDocument(actor, {}));
    assert.deepEqual([error.kind, error.code], ['invalid', 'plan_ambiguous']);
    assert.deepEqual(
      (error.details.plans as { id: number }[]).map((plan) => plan.id),
      [first.planId, other.planId],
    );
    assert.match(error.message, /另一个分工方案/);
    assert.equal(JSON.stringify(await exports.exportDocument(actor, { planId: other.planId })), JSON.stringify(otherDocument));
  });

  it('an empty database, an unknown or malformed plan id are clear errors', async (database) => {
    const { exports } = services(database);
    assert.equal((await domainErrorOf(exports.exportDocument(actor, {}))).code, 'plan_not_found');
    assert.equal((await domainErrorOf(exports.exportDocument(actor, { planId: 99 }))).code, 'plan_not_found');
    assert.equal((await domainErrorOf(exports.exportDocument(actor, { planId: 1.5 }))).code, 'plan_id_invalid');
  });

  it('is audited, and writes nothing else', async (database) => {
    const { imports, exports } = services(database);
    const outcome = await imports.importDocument(actor, buildPlanDocument(), source);
    const before = await countRows(database);
    await exports.exportDocument(systemActor('backup-job'), {});
    const after = await countRows(database);
    assert.deepEqual({ ...after, audit_events: before.audit_events }, before);
    const events = await createRepositories(database.db).audit.listAuditEvents({ action: 'plan.export' });
    assert.equal(events.length, 1);
    assert.deepEqual(
      [events[0]?.actor_name, events[0]?.object_id, events[0]?.result, JSON.parse(events[0]?.detail ?? '{}').roundLabel],
      ['system:backup-job', String(outcome.planId), 'exported', '2017年第二季度'],
    );
  });

  it('re-importing an export is unchanged', async (database) => {
    const { imports, exports } = services(database);
    await imports.importDocument(actor, buildPlanDocument(), source);
    const exported = await exports.exportDocument(actor, {});
    const again = JSON.parse(JSON.stringify(exported)) as PlanDocument;
    assert.equal((await imports.importDocument(actor, again, source)).status, 'unchanged');
  });
});
