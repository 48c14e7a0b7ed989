import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { NoticeView } from '../../../../domain/api/notice-view.ts';
import type { Notice } from '../../../../domain/plan-document.ts';
import { statisticsParagraph, type NoticeStatistics } from '../../../../domain/notice-statistics.ts';
import { apiError, deferred, fakeServer, json, type FakeServer } from '../../../test-support/fake-server.ts';
import { renderWithApp, sessionOf } from '../../../test-support/render.tsx';
import { noticeDifferences } from './NoticeConflictDialog.tsx';
import { docNumberOf, formNameOf } from './notice-form-fields.ts';

// The page imports its stylesheet: loaded after the setup above, which makes CSS an empty module.
const { NoticeFormPage } = await import('./NoticeFormPage.tsx');

const ROUND = 7;
const NOTICE_PATH = `/api/rounds/${ROUND}/notice`;

function notice(patch: Partial<Notice> = {}): Notice {
  return {
    issuingOffice: '四川省生态环境厅办公室',
    docNumber: null,
    title: '关于2017年第二季度重点工作推进情况的通报',
    recipients: '厅机关各处（室）：',
    body: ['现将推进情况通报如下。'],
    attachment: null,
    issuer: '四川省生态环境厅办公室',
    date: null,
    contact: { unit: null, name: null, phone: null },
    cc: [],
    printed: { by: null, date: null },
    ...patch,
  };
}

function view(patch: Partial<NoticeView> = {}): NoticeView {
  return {
    roundId: ROUND,
    roundLabel: '2017年第二季度',
    stored: true,
    version: 2,
    updatedAt: '2017-07-20T02:00:00.000Z',
    updatedBy: '张敏',
    notice: notice(),
    suggestedDocNumber: { prefix: '川环办发', year: 2017, number: 101, docNumber: '川环办发〔2017〕101号' },
    placeholders: { '{轮次}': '2017年第二季度', '{方案文号}': null, '{方案标题}': '重点工作分工方案' },
    statisticsWarnings: [],
    profileMissing: false,
    ...patch,
  };
}

let fake: FakeServer;
function serveTheNotice(): void {
  fake = fakeServer().on('GET', NOTICE_PATH, view());
}

async function renderForm() {
  const user = userEvent.setup({ delay: null });
  renderWithApp(<NoticeFormPage />, { session: sessionOf('office'), path: `/rounds/${ROUND}/notice`, route: '/rounds/:roundId/notice' });
  await screen.findByLabelText('机关代字');
  return user;
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const puts = () => fake.to('PUT', NOTICE_PATH);

describe('notice form: 建议文号', () => {
  beforeEach(serveTheNotice);

  it('asks for the year of 成文日期 when no year is typed, and fills the three boxes', async () => {
    fake.on('GET', `${NOTICE_PATH}/next-number`, (request) =>
      json({
        prefix: request.query.get('prefix'),
        year: Number(request.query.get('year')),
        number: 12,
        docNumber: `川环办发〔${request.query.get('year')}〕12号`,
      }),
    );
    const user = await renderForm();
    assert.equal(field('机关代字').value, '川环办发', 'a notice without a number starts with its series’ prefix');
    await user.type(field('成文日期'), '2018-01-05');
    await user.click(screen.getByRole('button', { name: /建议文号/ }));
    await waitFor(() => assert.equal(field('序号').value, '12'));
    assert.equal(field('年份').value, '2018');
    const [asked] = fake.to('GET', `${NOTICE_PATH}/next-number`);
    assert.equal(asked!.query.get('year'), '2018');
    assert.equal(asked!.query.get('prefix'), '川环办发');
    // The preview follows the form a moment later (antd's form watches on a later task).
    await within(screen.getByLabelText('预览')).findByText('川环办发〔2018〕12号');
  });

  it('takes a typed year over the date’s, and the round’s year when there is neither', async () => {
    fake.on('GET', `${NOTICE_PATH}/next-number`, (request) => json({ prefix: '川环办发', year: Number(request.query.get('year')), number: 3, docNumber: '' }));
    const asked = () => fake.to('GET', `${NOTICE_PATH}/next-number`).map((request) => request.query.get('year'));
    const user = await renderForm();
    await user.click(screen.getByRole('button', { name: /建议文号/ }));
    await waitFor(() => assert.deepEqual(asked(), ['2017']));
    await waitFor(() => assert.equal(field('年份').value, '2017'));
    await user.type(field('成文日期'), '2018-01-05');
    await user.clear(field('年份'));
    await user.type(field('年份'), '2019');
    await user.click(screen.getByRole('button', { name: /建议文号/ }));
    await waitFor(() => assert.deepEqual(asked(), ['2017', '2019']));
  });

  it('says in Chinese why no number came', async () => {
    fake.on('GET', `${NOTICE_PATH}/next-number`, apiError(403, 'forbidden', 'only the office may do this'));
    const user = await renderForm();
    await user.click(screen.getByRole('button', { name: /建议文号/ }));
    await screen.findByText('无法取得建议文号：没有权限执行此操作');
  });
});

describe('notice form: placeholders and the preview', () => {
  beforeEach(serveTheNotice);

  it('lists every placeholder with what it stands for in this round, and the preview shows it replaced', async () => {
    const user = await renderForm();
    const help = screen.getByText(/可用占位符/);
    assert.match(help.textContent ?? '', /\{轮次\}本轮调度的名称，如“2017年第二季度”（本轮：2017年第二季度）/);
    assert.match(help.textContent ?? '', /\{方案文号\}.*（本轮：无）/);
    const title = screen.getByLabelText('标题');
    await user.clear(title);
    await user.paste('关于{轮次}{方案标题}推进情况的通报');
    const preview = screen.getByLabelText('预览');
    await within(preview).findByText('关于2017年第二季度重点工作分工方案推进情况的通报');
  });
});

describe('notice form: checks and saving', () => {
  beforeEach(serveTheNotice);

  it('refuses an impossible 成文日期 on the field, in Chinese, and saves nothing', async () => {
    const user = await renderForm();
    await user.type(field('成文日期'), '2017-02-30');
    await user.tab();
    await screen.findByText(/成文日期“2017-02-30”不是有效日期（该日不存在或格式不对），请按 2017-10-16、2017\/10\/16 或 2017年10月16日 填写/);
    await user.click(screen.getByRole('button', { name: '保存' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(puts().length, 0);
  });

  it('writes a typed date out as 2017年10月16日 and never saves on Enter', async () => {
    const user = await renderForm();
    await user.type(field('成文日期'), '2017/10/16{Enter}');
    assert.equal(field('成文日期').value, '2017年10月16日');
    await user.type(field('发文机关'), '{Enter}');
    await user.type(screen.getByLabelText('正文第1段'), '{Enter}');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(puts().length, 0, 'only the 保存 button saves');
  });

  it('sends the fields with the version the form was loaded from, and shows a too-long field beside it', async () => {
    fake.on(
      'PUT',
      NOTICE_PATH,
      apiError(422, 'field_too_long', 'title is too long', { issues: [{ field: 'body.notice.title' }], limits: [{ field: 'body.notice.title', max: 60 }] }),
    );
    const user = await renderForm();
    await user.type(field('年份'), '2017');
    await user.type(field('序号'), '102');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('超过长度上限（最多 60 字），请删减');
    const sent = puts()[0]!.body as { version: number; notice: { docNumber: string; title: string; date: string | null } };
    assert.equal(sent.version, 2);
    assert.equal(sent.notice.docNumber, '川环办发〔2017〕102号');
    assert.equal(sent.notice.title, '关于2017年第二季度重点工作推进情况的通报');
  });

  it('on a 409 shows what differs; 载入对方的版本 fills the form with theirs, keeps mine in view, and saves from their version', async () => {
    const current = view({ version: 3, updatedBy: '李岳东', notice: notice({ title: '关于第二季度推进情况的通报（修改稿）' }) });
    fake.on('PUT', NOTICE_PATH, (request) =>
      (request.body as { version: number }).version === 3
        ? json({ ...current, version: 4, notes: [] })
        : apiError(409, 'version_conflict', '通报已被他人修改', { current, yours: (request.body as { notice: unknown }).notice as Record<string, unknown> }),
    );
    const user = await renderForm();
    const title = screen.getByLabelText('标题');
    await user.clear(title);
    await user.type(title, '我的标题');
    await user.click(screen.getByRole('button', { name: '保存' }));
    const dialog = await screen.findByRole('dialog', { name: '通报已被他人修改' });
    assert.ok(within(dialog).getByText(/在您编辑期间，“李岳东”于 .* 保存了第 3 版/));
    const rows = within(dialog)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.textContent);
    assert.deepEqual(rows, ['标题关于第二季度推进情况的通报（修改稿）我的标题'], 'only the part that differs');
    await user.click(within(dialog).getByRole('button', { name: '载入对方的版本（第 3 版）' }));
    assert.equal(screen.queryByRole('dialog'), null);
    assert.equal((screen.getByLabelText('标题') as HTMLTextAreaElement).value, '关于第二季度推进情况的通报（修改稿）');
    assert.ok(screen.getByText('已载入对方保存的第 3 版。您当时未保存的修改如下，可复制后重新填入：'));
    assert.ok(screen.getByText('我的标题'));
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText('通报已保存（第 4 版）');
    assert.equal((puts().at(-1)!.body as { version: number }).version, 3);
  });
});

describe('notice form: 插入统计段落', () => {
  beforeEach(serveTheNotice);

  const STATISTICS_PATH = `${NOTICE_PATH}/statistics-paragraph`;
  const figures: NoticeStatistics = {
    periodWord: '本季度',
    units: 12,
    onTime: 11,
    late: 0,
    notSubmitted: 1,
    lateUnits: [],
    missingUnits: ['生态处'],
    tasks: 111,
    lagging: 0,
    laggingTasks: [],
  };

  it('takes a click while the figures load, and keeps what was typed meanwhile', async () => {
    // Every answer held back until the test lets them through, as on a slow network.
    const figuresArrive = deferred<void>();
    fake.on('GET', STATISTICS_PATH, async () => {
      await figuresArrive.promise;
      return json({ roundId: ROUND, text: statisticsParagraph(figures), statistics: figures });
    });
    const user = await renderForm();
    // Ticking the box starts a fetch of the figures with the check; the click comes before it ends.
    await user.click(screen.getByRole('checkbox', { name: '附上数据核对结果' }));
    await waitFor(() => assert.ok(fake.to('GET', STATISTICS_PATH).some((request) => request.query.get('insights') === 'true')));
    await user.click(screen.getByRole('button', { name: /插入统计段落/ }));
    await user.type(field('正文第1段'), '（另附）');
    figuresArrive.resolve();
    await waitFor(() => assert.equal(field('正文第2段').value, statisticsParagraph(figures)));
    assert.equal(field('正文第1段').value, '现将推进情况通报如下。（另附）', 'the text typed while the figures loaded is kept');
    await screen.findByText('已插入统计段落（正文第2段），可直接修改');
  });
});

describe('notice form: pure rules', () => {
  it('assembles 文号 from its three boxes', () => {
    assert.equal(docNumberOf({ docPrefix: ' 川环办发 ', docYear: 2017, docNo: 102 }), '川环办发〔2017〕102号');
    assert.equal(docNumberOf({ docPrefix: '川环办发' }), null, 'the prefix the form starts with is no number yet');
    assert.equal(
      docNumberOf({ docPrefix: '川环办发[2017]5号' }),
      '川环办发[2017]5号',
      'a whole number in another form goes as it came, for the server to check',
    );
    assert.equal(docNumberOf({ docPrefix: '', docYear: null, docNo: null }), null);
    assert.equal(
      docNumberOf({ docPrefix: '川环办发', docYear: 2017, docNo: null }),
      '川环办发〔2017〕号',
      'half a number is sent, and refused by the server beside 序号',
    );
  });

  it('finds the field a server error names', () => {
    assert.equal(formNameOf('body.notice.title'), 'title');
    assert.equal(formNameOf('docNumber'), 'docNo');
    assert.equal(formNameOf('contact.phone'), 'contactPhone');
    assert.deepEqual(formNameOf('body.notice.body.2'), ['body', 2]);
    assert.deepEqual(formNameOf('cc.0'), ['cc', 0]);
    assert.equal(formNameOf('version'), null);
  });

  it('lists the parts where two notices differ, in document order', () => {
    const mine = notice({ title: '甲', body: ['一', '二'], contact: { unit: '办公室', name: '王芳', phone: null } });
    const theirs = notice({ title: '乙', body: ['一'], contact: { unit: '办公室', name: null, phone: null } });
    assert.deepEqual(noticeDifferences(theirs, mine), [
      { label: '标题', theirs: '乙', mine: '甲' },
      { label: '正文', theirs: '一', mine: '一\n二' },
      { label: '联系人', theirs: '办公室', mine: '办公室 王芳' },
    ]);
    assert.deepEqual(noticeDifferences(mine, mine), []);
  });
});
