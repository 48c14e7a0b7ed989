import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { UnitEvaluationRow } from '../../domain/api/insight-view.ts';
import { isDomainError } from '../../domain/errors.ts';
import type { Finding } from '../../domain/insights/types.ts';
import { boardsScenario, finding, fixedFindings } from '../../../tests/support/boards-scenario.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { person } from '../../../tests/support/people.ts';
import { analyseRound } from '../../domain/insights/index.ts';
import { renderRoundEvaluationXlsx } from '../documents/writers/evaluation-xlsx.ts';
import { createEvaluationService } from './evaluation.service.ts';
import { loadInsightInput } from './insight.service.ts';

async function workbookOf(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

forEachEngine('evaluation service (考核)', (it) => {
  it('counts per unit: on time, answered, returned, stale, hollow, silent, slips, indicators behind; scores it; writes both workbooks', async (database) => {
    const s = await boardsScenario(database);
    const [h, g, w] = [s.unit('环评处'), s.unit('规财处'), s.unit('水处')];
    const q3: Finding[] = [
      finding('stale', s.huanpingTasks[0]!, h),
      // Stale and hollow on one task costs once; hollow on another costs half.
      finding('no_new_facts', s.huanpingTasks[0]!, h),
      finding('no_new_facts', s.huanpingTasks[1]!, h),
      finding('arithmetic', s.huanpingTasks[1]!, h, { ok: false, computed: '70.00%' }),
      finding('arithmetic', s.huanpingTasks[1]!, h),
      finding('indicator', s.guicaiTasks[0]!, g),
      finding('indicator', s.guicaiTasks[0]!, g, { key: 'k2', status: 'proposed' }),
      finding('indicator', s.guicaiTasks[0]!, g, { key: 'k3', verdict: 'basis_differs' }),
      finding('silent_unit', s.shuichuTasks[0]!, w),
      // An unattributed answer's finding is nobody's.
      finding('no_new_facts', s.shuichuTasks[0]!, null),
    ];
    const findings = fixedFindings(new Map([[s.q3Id, q3]]));
    const service = createEvaluationService({ database, findings, now: s.time.now });

    const view = await service.roundEvaluation(s.office, s.q3Id);
    assert.equal(view.roundLabel, '2017年第三季度');
    const row = (name: string) => view.rows.find((r) => r.unitName === name)!;
    const nh = s.huanpingTasks.length;
    const expected: Record<string, Partial<UnitEvaluationRow>> = {
      环评处: {
        onTime: true,
        tasks: nh,
        answered: nh,
        returned: 1,
        stale: 1,
        noNewFacts: 2,
        silent: 0,
        arithmeticErrors: 1,
        indicatorsBehind: 0,
        score: Math.round((100 * (nh - 1.5)) / nh),
      },
      规财处: { onTime: false, tasks: s.guicaiTasks.length, answered: s.guicaiTasks.length, returned: 0, stale: 0, indicatorsBehind: 1, score: 90 },
      水处: { onTime: false, tasks: s.shuichuTasks.length, answered: 0, returned: 0, silent: 1, noNewFacts: 0, score: 0 },
    };
    for (const [name, values] of Object.entries(expected))
      for (const [field, value] of Object.entries(values)) assert.equal(row(name)[field as keyof UnitEvaluationRow], value, `${name}.${field}`);
    assert.ok(!view.rows.some((r) => r.unitName === '各处(室)' || r.unitName === '直属单位'), 'collective names are left out');
    assert.deepEqual(
      view.rows.map((r) => r.unitName),
      [...view.rows.map((r) => r.unitName)].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    );
    // Another unit, not yet due: the round is open and its deadline not passed.
    s.time.set('2017-10-01T10:00:00+08:00');
    const early = await service.roundEvaluation(s.office, s.q3Id);
    const earlyRow = early.rows.find((r) => r.unitName === '水处')!;
    assert.equal(earlyRow.onTime, null, 'not late before the deadline');
    assert.deepEqual([earlyRow.score, earlyRow.scoreState], [null, 'not_due'], 'no score yet, not a 0: 未到截止');
    for (const name of ['环评处', '规财处']) assert.equal(early.rows.find((r) => r.unitName === name)!.scoreState, 'scored', `${name} submitted: scored`);
    assert.ok(early.rows.every((r) => (r.scoreState === 'not_due') === (r.onTime === null) && (r.score === null) === (r.scoreState === 'not_due')));
    const earlySheet = (await workbookOf(await renderRoundEvaluationXlsx(early))).getWorksheet('考核')!;
    const earlyLine = 3 + early.rows.indexOf(earlyRow);
    assert.deepEqual(
      [earlySheet.getCell(earlyLine, 3).value, earlySheet.getCell(earlyLine, 13).value],
      ['未到截止', null],
      'the sheet says 未到截止 and leaves the score blank',
    );
    s.time.set('2017-10-12T10:00:00+08:00');

    // The imported round: answers are there, nobody submitted in the app.
    const imported = await service.roundEvaluation(await person(database, 'leader', { name: '赵乐晨' }), s.importedRoundId);
    assert.ok(imported.rows.length > 10);
    assert.ok(imported.rows.every((r) => r.onTime === null && r.returned === 0));
    assert.ok(imported.rows.some((r) => r.answered > 0));

    // With the engine itself on the seed: a unit is silent exactly on the tasks it did not answer
    // (二.(二).4 names 水处, 土壤处 and 生态处; only 水处 reported).
    let seedFindings: Finding[] = [];
    const engine = createEvaluationService({
      database,
      findings: async (repositories, roundId) => (seedFindings = analyseRound((await loadInsightInput(repositories, roundId)).input)),
      now: s.time.now,
    });
    const seed = await engine.roundEvaluation(s.office, s.importedRoundId);
    for (const r of seed.rows) assert.equal(r.answered + r.silent, r.tasks, `${r.unitName}: answered ${r.answered} + silent ${r.silent} = ${r.tasks} tasks`);
    const seedRow = (name: string) => seed.rows.find((r) => r.unitName === name)!;
    assert.ok(seedRow('土壤处').silent >= 1 && seedRow('生态处').silent >= 1);
    assert.ok(
      seed.rows.some((r) => r.noNewFacts > 0),
      'the seed has answers without new facts',
    );
    // An answer that names no unit (一.(一).5's, say) answers for each of the task's units, so what
    // it lacks counts against each of them too: no full marks for a sentence with nothing in it.
    const entries = await database.db.selectFrom('progress_entries').select(['task_id', 'unit_id']).where('round_id', '=', s.importedRoundId).execute();
    const attributed = new Set(entries.filter((e) => e.unit_id !== null).map((e) => e.task_id));
    const listed = await database.db
      .selectFrom('task_units')
      .innerJoin('units', 'units.id', 'task_units.unit_id')
      .select(['task_units.task_id', 'units.name'])
      .where('units.collective', '=', 0)
      .execute();
    const hollowFor = new Map<string, number>();
    for (const f of seedFindings)
      if (f.kind === 'no_new_facts' && f.unitId === null && !attributed.has(f.taskId))
        for (const { name } of listed.filter((l) => l.task_id === f.taskId)) hollowFor.set(name, (hollowFor.get(name) ?? 0) + 1);
    assert.ok(hollowFor.size > 0, 'the seed has unattributed answers without new facts');
    for (const [name, n] of hollowFor)
      assert.ok(
        seedRow(name).noNewFacts >= n && seedRow(name).score! < 100,
        `${name}: ${n} unattributed answers without new facts, ${JSON.stringify(seedRow(name))}`,
      );
    assert.ok(seed.rows.every((r) => r.score !== null && r.score <= Math.round((100 * r.answered) / r.tasks)));

    // Units and admins read nothing; a round that is not there says so.
    for (const actor of [s.huanping, await person(database, 'system_admin')])
      await assert.rejects(service.roundEvaluation(actor, s.q3Id), (error) => isDomainError(error) && error.kind === 'forbidden');
    await assert.rejects(service.roundEvaluation(s.office, 999_999), (error) => isDomainError(error) && error.code === 'round_not_found');

    // The round's workbook: sheet 考核, the round in the title, the header frozen, the rows as the view.
    const roundFile = await service.roundWorkbook(s.office, s.q3Id);
    assert.equal(roundFile.fileName, '2017年第三季度考核情况.xlsx');
    const sheet = (await workbookOf(roundFile.bytes)).getWorksheet('考核')!;
    assert.equal(sheet.getCell('A1').value, '2017年第三季度考核情况');
    assert.ok(sheet.getCell('A1').isMerged);
    assert.deepEqual((sheet.getRow(2).values as unknown[]).slice(1), [
      '序号',
      '单位',
      '按时报送',
      '任务数',
      '已填报',
      '退回次数',
      '沿用未更新',
      '无新内容',
      '未发声',
      '数字不一致',
      '指标滞后',
      '请说明',
      '得分',
    ]);
    const view0 = sheet.views[0] as { state?: string; ySplit?: number } | undefined;
    assert.deepEqual({ state: view0?.state, ySplit: view0?.ySplit }, { state: 'frozen', ySplit: 2 });
    assert.ok(sheet.getColumn(2).width! >= 16, 'the unit column fits Chinese names');
    const line = 3 + view.rows.findIndex((r) => r.unitName === '环评处');
    assert.deepEqual(
      [2, 3, 4, 5, 6, 7, 13].map((column) => sheet.getCell(line, column).value),
      ['环评处', '按时', nh, nh, 1, 1, expected['环评处']!.score],
    );
    assert.equal(sheet.getCell(3 + view.rows.findIndex((r) => r.unitName === '规财处'), 3).value, '逾期');
    assert.match(String(sheet.getCell(3 + view.rows.length + 1, 1).value), /^得分＝100×（已填报−沿用未更新−½×无新内容）÷任务数/);

    // The plan's workbook: 汇总 (unit × round score), then a sheet per round; the engine once per round.
    findings.calls.clear();
    const planFile = await service.planWorkbook(s.leader, s.planId);
    assert.deepEqual([...findings.calls.values()], [1, 1]);
    const book = await workbookOf(planFile.bytes);
    assert.deepEqual(
      book.worksheets.map((ws) => ws.name),
      ['汇总', '2017年第二季度', '2017年第三季度'],
    );
    const summary = book.getWorksheet('汇总')!;
    assert.deepEqual((summary.getRow(2).values as unknown[]).slice(1), ['序号', '单位', '2017年第二季度', '2017年第三季度', '平均得分']);
    // The plan's long title and the score's note over five narrow columns: their merged rows are
    // tall enough to print every line (Excel does not grow a merged row).
    const title = String(summary.getCell('A1').value);
    assert.ok(title.length > 30, title);
    assert.ok(summary.getRow(1).height >= 2 * 16 * 1.4, `title row ${summary.getRow(1).height} pt`);
    const noteRow = summary.getRow(summary.rowCount);
    assert.match(String(noteRow.getCell(1).value), /^得分＝/);
    assert.ok(noteRow.height >= 2 * 15, `note row ${noteRow.height} pt`);
    let found = false;
    summary.eachRow((r, number) => {
      if (number < 3 || r.getCell(2).value !== '环评处') return;
      found = true;
      assert.equal(r.getCell(4).value, expected['环评处']!.score);
      assert.equal(typeof r.getCell(3).value, 'number', 'the imported round scores it too');
    });
    assert.ok(found, '环评处 has a row in 汇总');
    await assert.rejects(service.planWorkbook(s.office, 999_999), (error) => isDomainError(error) && error.code === 'plan_not_found');
    const audited = await database.db
      .selectFrom('audit_events')
      .select(['object_type', 'object_id'])
      .where('action', '=', 'evaluation.export')
      .orderBy('id')
      .execute();
    assert.deepEqual(audited, [
      { object_type: 'round', object_id: String(s.q3Id) },
      { object_type: 'plan', object_id: String(s.planId) },
    ]);
  });
});
