import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { SearchHitView } from '../../domain/api/plan-view.ts';
import type { Role } from '../../domain/api/roles.ts';
import { isDomainError } from '../../domain/errors.ts';
import { SearchLimits } from '../../domain/limits.ts';
import { tasksOf, type PlanDocument } from '../../domain/plan-document.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { countRows } from '../../../tests/support/db-inspection.ts';
import { importSeed, taskIdContaining, unitIdOf, userActor } from '../../../tests/support/seeded-plan.ts';
import { MATCH_END, MATCH_START, snippet } from '../presenters/search.presenter.ts';
import { createSearchService, parseSearchQuery } from './search.service.ts';

const office = userActor('office');

/** What a search must find, worked out from the document itself: every text holding every term (ASCII case ignored). */
function expectedHits(document: PlanDocument, q: string): { field: 'task' | 'progress'; text: string }[] {
  const terms = q
    .split(/\s+/)
    .filter(Boolean)
    .map((term) => term.toLowerCase());
  const holds = (text: string) => terms.every((term) => text.toLowerCase().includes(term));
  const hits: { field: 'task' | 'progress'; text: string }[] = [];
  for (const { task } of tasksOf(document)) {
    if (holds(task.text)) hits.push({ field: 'task', text: task.text });
    for (const entry of task.progress) if (holds(entry.text)) hits.push({ field: 'progress', text: entry.text });
  }
  return hits;
}

/** The snippet without its marks is a piece of the text, and every mark wraps a term. */
function assertSnippet(hit: SearchHitView, text: string, terms: readonly string[]): void {
  const plain = hit.snippet.replaceAll(MATCH_START, '').replaceAll(MATCH_END, '').replace(/^…/, '').replace(/…$/, '');
  assert.ok(text.includes(plain), `snippet ${hit.snippet} comes from the text`);
  const marked = [...hit.snippet.matchAll(new RegExp(`${MATCH_START}([^${MATCH_END}]*)${MATCH_END}`, 'g'))].map((match) => match[1]!.toLowerCase());
  assert.ok(marked.length > 0, `snippet ${JSON.stringify(hit.snippet)} marks the match`);
  for (const mark of marked)
    assert.ok(
      terms.some((term) => term.toLowerCase() === mark),
      `mark ${mark} is a term`,
    );
}

forEachEngine('search on the seed', (it) => {
  it('finds task and progress text for 3+ character terms (trigram index) and 1–2 character terms (substring scan)', async (database) => {
    const { planId, roundId, document } = await importSeed(database);
    const service = createSearchService({ database });
    for (const q of ['饮用水', '水质', '改革', '水', 'PM2.5', 'pm2.5', '20%', '饮用水 执法', '环评', '82% 以上', '，']) {
      const hits = await service.search(office, { q });
      const expected = expectedHits(document, q).slice(0, SearchLimits.hits.max);
      assert.deepEqual(
        hits.map((hit) => hit.field),
        expected.map((hit) => hit.field),
        `hits for ${q}`,
      );
      for (const [index, hit] of hits.entries()) {
        assert.equal(hit.planId, planId);
        assert.equal(hit.roundLabel, hit.field === 'progress' ? '2017年第二季度' : null);
        assertSnippet(hit, expected[index]!.text, parseSearchQuery(q));
      }
    }
    const drinking = await service.search(office, { q: '饮用水', planId });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    assert.deepEqual(
      drinking.filter((hit) => hit.taskId === taskId).map((hit) => [hit.field, hit.unitName]),
      [
        ['task', null],
        ['progress', '水处'],
        ['progress', '监察总队'],
      ],
    );
    assert.ok(roundId > 0);
    const commas = expectedHits(document, '，');
    assert.ok(commas.length > 20);
    const capped = await createSearchService({ database, maxHits: 20 }).search(office, { q: '，' });
    assert.deepEqual(
      capped.map((hit) => hit.field),
      commas.slice(0, 20).map((hit) => hit.field),
      'the first hits in plan order, no more than the cap',
    );
  });

  it('has trigram indexes the engine uses for the task and progress text', async (database) => {
    if (database.dialect === 'sqlite') {
      const { rows } = await sql<{ detail: string }>`
        explain query plan select id from tasks where id in (select rowid from tasks_fts where tasks_fts match '"饮用水"')
      `.execute(database.db);
      assert.ok(
        rows.some((row) => /VIRTUAL TABLE/.test(row.detail)),
        JSON.stringify(rows),
      );
      const tables = await sql<{ name: string }>`select name from sqlite_master where name in ('tasks_fts', 'progress_entries_fts')`.execute(database.db);
      assert.equal(tables.rows.length, 2);
      return;
    }
    const indexes = await sql<{
      indexname: string;
    }>`select indexname from pg_indexes where schemaname = current_schema() and indexname like '%_text_trgm' order by indexname`.execute(database.db);
    assert.deepEqual(
      indexes.rows.map((row) => row.indexname),
      ['progress_entries_text_trgm', 'tasks_text_trgm'],
    );
    await database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select id from progress_entries where text ilike '%饮用水%'`.execute(trx);
      assert.ok(
        plan.rows.some((row) => row['QUERY PLAN'].includes('progress_entries_text_trgm')),
        JSON.stringify(plan.rows),
      );
    });
  });

  it('finds nothing for a term that is nowhere, or for SQL and LIKE wildcards, and changes nothing', async (database) => {
    const { planId } = await importSeed(database);
    const service = createSearchService({ database });
    const before = await countRows(database);
    for (const q of ['量子计算机', "' OR 1=1--", "'; DROP TABLE tasks; --", '_', '__', '%%%_', '"', '" OR "', 'NEAR(水 质)', '水*', '\\']) {
      assert.deepEqual(await service.search(office, { q }), [], q);
      assert.deepEqual(await service.search(office, { q, planId }), [], q);
    }
    assert.deepEqual(await countRows(database), before);
  });

  it('refuses an empty, too long or too wordy query (422) and an unknown plan (404); admins may not search', async (database) => {
    await importSeed(database);
    const service = createSearchService({ database });
    const rejects = async (promise: Promise<unknown>, kind: string, code: string) =>
      assert.rejects(promise, (error) => isDomainError(error) && error.kind === kind && error.code === code);
    await rejects(service.search(office, { q: '' }), 'invalid', 'search_query_empty');
    await rejects(service.search(office, { q: ' \u3000 ' }), 'invalid', 'search_query_empty');
    await rejects(service.search(office, { q: '水'.repeat(SearchLimits.q.max + 1) }), 'invalid', 'search_query_too_long');
    await rejects(
      service.search(office, { q: Array.from({ length: SearchLimits.terms.max + 1 }, (_, index) => `词${index}`).join(' ') }),
      'invalid',
      'search_query_too_many_terms',
    );
    await rejects(service.search(office, { q: '水质', planId: 999_999 }), 'not_found', 'plan_not_found');
    for (const role of ['system_admin', 'security_admin', 'audit_admin'] as Role[])
      await assert.rejects(service.search(userActor(role), { q: '水质' }), (error) => isDomainError(error) && error.kind === 'forbidden');
  });

  it('keeps the index in step when task or progress text changes or goes', async (database) => {
    const { planId } = await importSeed(database);
    const service = createSearchService({ database });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    await database.db.updateTable('tasks').set({ text: '建设全省智慧水务监管平台。' }).where('id', '=', taskId).execute();
    assert.deepEqual(
      (await service.search(office, { q: '智慧水务' })).map((hit) => [hit.taskId, hit.field]),
      [[taskId, 'task']],
    );
    assert.ok(!(await service.search(office, { q: '饮用水环境安全保障工程' })).some((hit) => hit.field === 'task' && hit.taskId === taskId));
    await database.db.updateTable('tasks').set({ version: 2 }).where('id', '=', taskId).execute();
    assert.equal((await service.search(office, { q: '智慧水务' })).length, 1, 'a change that leaves the text alone keeps the index right');

    await database.db.deleteFrom('progress_entries').where('task_id', '=', taskId).execute();
    assert.ok(!(await service.search(office, { q: '饮用水源地环境保护执法专项行动' })).some((hit) => hit.taskId === taskId));
    await database.db
      .insertInto('progress_entries')
      .values({
        round_id: (await database.db.selectFrom('rounds').select('id').executeTakeFirstOrThrow()).id,
        task_id: taskId,
        unit_id: null,
        position: 1,
        text: '新增的推进情况：智慧水务上线。',
        status: null,
        version: 1,
        created_at: 'x',
        updated_at: 'x',
        reason: null,
        updated_by: null,
      })
      .execute();
    assert.deepEqual(
      (await service.search(office, { q: '智慧水务' })).map((hit) => hit.field),
      ['task', 'progress'],
    );
  });

  it('finds answers whether or not the progress index has caught up, whatever happened to a row since (SQLite: deferred, migration 009)', async (database) => {
    const { planId, roundId } = await importSeed(database);
    // The default service leaves a short backlog alone; `catchingUp` catches up on every search.
    const service = createSearchService({ database });
    const catchingUp = createSearchService({ database, progressIndexCatchUpAt: 1 });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const entry = (text: string, position = 9) => ({
      round_id: roundId,
      task_id: taskId,
      unit_id: null,
      position,
      text,
      status: null,
      version: 1,
      created_at: 'x',
      updated_at: 'x',
      reason: null,
      updated_by: null,
    });
    const progressFound = async (q: string) => (await service.search(office, { q })).filter((hit) => hit.field === 'progress').map((hit) => hit.taskId);
    const setText = (id: number, text: string) => database.db.updateTable('progress_entries').set({ text }).where('id', '=', id).execute();

    // Indexed, then changed twice before anyone searches: the index must drop the first text.
    const { id } = await database.db.insertInto('progress_entries').values(entry('甲稿：湿地公园调查启动。')).returning('id').executeTakeFirstOrThrow();
    assert.deepEqual(await progressFound('湿地公园调查'), [taskId]);
    assert.equal((await catchingUp.search(office, { q: '湿地公园调查' })).filter((hit) => hit.field === 'progress').length, 1);
    await setText(id, '乙稿：候鸟迁徙监测完成。');
    await setText(id, '丙稿：珍稀鱼类保护区划定。');
    assert.deepEqual(await progressFound('湿地公园调查'), []);
    assert.deepEqual(await progressFound('候鸟迁徙监测'), []);
    assert.deepEqual(await progressFound('珍稀鱼类保护'), [taskId]);

    // Inserted and changed between two searches; another deleted and its id given to a new row.
    const { id: fresh } = await database.db.insertInto('progress_entries').values(entry('丁稿：草稿未完。', 10)).returning('id').executeTakeFirstOrThrow();
    await setText(fresh, '戊稿：地下水污染防治试点验收。');
    await database.db.deleteFrom('progress_entries').where('id', '=', id).execute();
    await database.db
      .insertInto('progress_entries')
      .values({ ...entry('己稿：沿用旧编号的新推进情况。'), id })
      .execute();
    assert.deepEqual(await progressFound('地下水污染防治'), [taskId]);
    assert.deepEqual(await progressFound('珍稀鱼类保护'), []);
    assert.deepEqual(await progressFound('沿用旧编号'), [taskId]);
    assert.deepEqual(await progressFound('草稿未完'), []);

    if (database.dialect === 'sqlite') {
      const backlog = async () => Number((await sql<{ n: number }>`select count(*) as n from progress_entries_fts_pending`.execute(database.db)).rows[0]!.n);
      assert.ok((await backlog()) > 0, 'below the threshold a search writes nothing');
      await catchingUp.search(office, { q: '地下水污染防治' });
      assert.equal(await backlog(), 0, 'at the threshold a search catches the index up');
      // FTS5 compares every indexed row with the content table: a missed or wrong 'delete' fails here.
      await sql`insert into progress_entries_fts (progress_entries_fts, rank) values ('integrity-check', 1)`.execute(database.db);
      assert.deepEqual(await progressFound('地下水污染防治'), [taskId]);
      assert.deepEqual(await progressFound('珍稀鱼类保护'), []);
    }
  });

  it('shows a unit the open round’s answers it may read, and the office all of them', async (database) => {
    const { planId } = await importSeed(database);
    const service = createSearchService({ database });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const at = '2017-09-01T00:00:00.000Z';
    const round = await database.db
      .insertInto('rounds')
      .values({
        plan_id: planId,
        label: '2017年第三季度',
        period_start: null,
        period_end: null,
        deadline: null,
        status: 'open',
        warnings: '[]',
        created_at: at,
        note: null,
        opened_at: at,
        closed_at: null,
        opened_by: 'office',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [shuichu, zongdui, huanping] = [await unitIdOf(database, '水处'), await unitIdOf(database, '监察总队'), await unitIdOf(database, '环评处')];
    for (const [position, unitId] of [shuichu, zongdui].entries())
      await database.db
        .insertInto('progress_entries')
        .values({
          round_id: round.id,
          task_id: taskId,
          unit_id: unitId,
          position: position + 1,
          text: `第三季度草稿甲乙丙 ${unitId}`,
          status: null,
          version: 1,
          created_at: at,
          updated_at: at,
          reason: null,
          updated_by: 'test',
        })
        .execute();
    const found = async (unitId: number | null, role: Role = 'reporter') =>
      (await service.search(unitId === null ? userActor(role) : userActor(role, { unitId }), { q: '草稿甲乙丙' })).map((hit) =>
        hit.snippet.split(' ')[1]?.replace(/\D/g, ''),
      );
    assert.deepEqual(await found(null, 'office'), [String(shuichu), String(zongdui)], 'the office reads every unit, in the order written');
    assert.deepEqual(await found(null, 'leader'), [String(shuichu), String(zongdui)], 'leaders read everything');
    assert.equal((await found(shuichu)).length, 2, 'the lead unit reads its co-units');
    assert.deepEqual(await found(zongdui), [String(zongdui)], 'a co-unit reads only its own');
    assert.deepEqual(await found(huanping), [], 'another unit reads none');
    assert.deepEqual(await found(null, 'reporter'), [], 'a reporter bound to no unit reads none');
  });
});

test('snippets: the text around the first match, every term marked, cut ends shown', () => {
  assert.equal(snippet('加强饮用水源地规范化建设', ['饮用水']), '加强\u0001饮用水\u0002源地规范化建设');
  const long = `${'甲'.repeat(200)}水质${'乙'.repeat(200)}水质`;
  const cut = snippet(long, ['水质']);
  assert.ok(cut.startsWith('…') && cut.endsWith('…'));
  assert.ok(cut.includes('\u0001水质\u0002'));
  assert.ok(cut.length < 120);
  assert.equal(snippet('PM2.5 与 pm2.5', ['pm2.5']), '\u0001PM2.5\u0002 与 \u0001pm2.5\u0002');
  assert.equal(snippet('a\u0001b\u0002c 水质', ['水质']), 'abc \u0001水质\u0002', 'marks in the text are not passed on');
  assert.equal(snippet(`${'😀'.repeat(100)}水质`, ['水质']).includes('\uFFFD'), false);
  const emoji = snippet(`${'😀'.repeat(100)}水质`, ['水质']);
  assert.ok(!/^…[\uDC00-\uDFFF]/.test(emoji), 'no half surrogate pair at the cut');
  assert.equal(snippet('a.b*c(水)', ['.b*c(']), 'a\u0001.b*c(\u0002水)', 'terms are text, not patterns');
});

test('queries: split on any whitespace, duplicates dropped, nothing else changed', () => {
  assert.deepEqual(parseSearchQuery('  饮用水\u3000水质  饮用水 '), ['饮用水', '水质']);
  assert.deepEqual(parseSearchQuery('（环评处）'), ['（环评处）']);
});
