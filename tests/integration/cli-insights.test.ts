import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';

/**
 * `diaodu insights --round LABEL [--plan ID] --json` (issue 15): the contract diaodu.insights/1 on
 * the seed, the Chinese summary, and the errors that name what to choose (exit code 2).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const seedPath = path.join(root, 'fixtures/seed/sichuan-2017-q2-notice.txt');

async function diaodu(database: TestDatabase, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), env: { DIAODU_DATABASE_URL: database.url }, cwd: root };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

forEachEngine('diaodu insights', (it) => {
  it('prints diaodu.insights/1 for the seed round, a Chinese summary without --json, and refuses unknown and ambiguous labels with the choices', async (database) => {
    assert.equal((await diaodu(database, 'import', seedPath)).code, 0);

    const run = await diaodu(database, 'insights', '--round', '2017年第二季度', '--json');
    assert.equal(run.code, 0, run.stderr);
    const document = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(document), ['format', 'round', 'previousRound', 'findings']);
    assert.equal(document.format, 'diaodu.insights/1');
    assert.equal(document.round, '2017年第二季度');
    assert.equal(document.previousRound, null);
    for (const finding of document.findings) {
      assert.ok(finding.chapterTitle === undefined && finding.leaders === undefined, 'the API-only fields stay out of the CLI JSON');
      assert.deepEqual(Object.keys(finding.task), ['chapter', 'section', 'index']);
    }
    // 一.(一).3: 63 of 87 sections, 72.4 % — recomputed 72.41 %, consistent.
    const share = document.findings.find((f: { kind: string; quote?: string }) => f.kind === 'arithmetic' && f.quote?.includes('占比 72.4%'));
    assert.ok(share, 'the share of 一.(一).3 is checked');
    assert.deepEqual(share.task, { chapter: 1, section: 1, index: 3 });
    assert.equal(share.ok, true);
    const proposals = document.findings.filter((f: { kind: string }) => f.kind === 'indicator');
    assert.ok(
      proposals.length > 0 && proposals.every((f: { status: string }) => f.status === 'proposed'),
      'the CLI reports proposals: nothing is confirmed yet',
    );

    const summary = await diaodu(database, 'insights', '--round', '2017年第二季度');
    assert.equal(summary.code, 0, summary.stderr);
    assert.match(summary.stdout, /^调度分析：2017年第二季度（没有上一轮）/);
    assert.match(summary.stdout, /数字核对.*\d+ 处，一致 \d+ 处，数字不一致 \d+ 处/);
    assert.match(summary.stdout, /指标.*待办公室确认 \d+ 项.*落后于进度 \d+ 项/);
    // The insight page's words, every one of them (src/domain/insights/words.ts).
    for (const word of ['沿用未更新', '重复答复', '无新内容', '未发声单位'])
      assert.match(summary.stdout, new RegExp(`^  ${word}\u3000*\\d+ [条处]$`, 'm'), word);
    for (const old of ['雷同', '没有新内容', '数据核对', '配合单位']) assert.ok(!summary.stdout.includes(old), `no ${old}`);

    const unknown = await diaodu(database, 'insights', '--round', '2017年第九季度', '--json');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /没有调度“2017年第九季度”，已有：“2017年第二季度”/);

    // A second plan with a round of the same name: the label alone no longer says which.
    const at = '2017-10-01T00:00:00.000Z';
    const other = await database.db
      .insertInto('plans')
      .values({ identity_key: 'title:另一方案', title: '另一方案', doc_number: null, created_at: at, archived_at: null, copied_from_plan_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('rounds')
      .values({
        plan_id: other.id,
        label: '2017年第二季度',
        period_start: null,
        period_end: null,
        deadline: null,
        status: 'closed',
        warnings: '[]',
        created_at: at,
        note: null,
        opened_at: null,
        closed_at: null,
        opened_by: null,
        voided_at: null,
        voided_by: null,
        void_reason: null,
      })
      .execute();
    const ambiguous = await diaodu(database, 'insights', '--round', '2017年第二季度', '--json');
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /多个分工方案都有调度“2017年第二季度”，请用 --plan 指定方案编号：1《[^》]+》、\d+《另一方案》/);
    const chosen = await diaodu(database, 'insights', '--round', '2017年第二季度', '--plan', String(other.id), '--json');
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.deepEqual(JSON.parse(chosen.stdout).findings, []);

    const usage = await diaodu(database, 'insights', '--json');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /缺少 --round/);
  });
});
