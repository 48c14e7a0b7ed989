import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PlanSummaryView, PlanTreeView, TaskRowView, UnitRefView } from '../../../../domain/api/plan-view.ts';
import { apiError, fakeServer, json, type FakeServer } from '../../../test-support/fake-server.ts';
import { renderWithApp, sessionOf } from '../../../test-support/render.tsx';
import { NewRoundPage } from './NewRoundPage.tsx';
import { defaultDeadlineDate } from './round-defaults.ts';

const plan: PlanSummaryView = {
  id: 1,
  title: '重点工作分工方案',
  docNumber: null,
  tasks: 2,
  rounds: [{ id: 4, label: '2017年第二季度', status: 'closed' }],
  archivedAt: null,
};

function task(id: number, position: number, units: UnitRefView[]): TaskRowView {
  return { id, position, text: `任务${position}`, leadDepartment: null, due: null, leaders: [], units, answers: [], warnings: [], retired: false };
}

const tree: PlanTreeView = {
  plan: { id: 1, title: plan.title, docNumber: null },
  round: null,
  chapters: [
    {
      id: 1,
      number: 1,
      title: '总体要求',
      sections: [
        {
          id: 1,
          number: 1,
          title: '深化改革',
          tasks: [
            task(11, 1, [{ id: 3, name: '环评处', role: 'lead' }]),
            task(12, 2, [
              { id: 3, name: '环评处', role: 'lead' },
              { id: 5, name: '水处', role: 'co' },
            ]),
          ],
        },
      ],
    },
  ],
  matched: 2,
  total: 2,
};

let fake: FakeServer;
function serveThePlan(): void {
  fake = fakeServer().on('GET', '/api/plans', [plan]).on('GET', '/api/plans/1/tree', tree).on('GET', '/api/plans/1/collective-units', []);
}

async function renderPage() {
  const user = userEvent.setup({ delay: null });
  renderWithApp(<NewRoundPage />, { session: sessionOf('office'), path: '/rounds/new?planId=1', route: '/rounds/new' });
  await screen.findByDisplayValue('2017年第三季度');
  return user;
}

const posts = () => fake.to('POST', '/api/plans/1/rounds');

describe('发起调度 form', () => {
  beforeEach(serveThePlan);

  it('suggests the quarter after the last round, sums it up in the confirmation, and opens it only when confirmed', async () => {
    fake.on('POST', '/api/plans/1/rounds', json({ id: 9, label: '2017年第三季度' }));
    const user = await renderPage();
    assert.equal((screen.getByLabelText('调度期间开始') as HTMLInputElement).value, '2017-07-01');
    assert.equal((screen.getByLabelText('调度期间结束') as HTMLInputElement).value, '2017-09-30');
    await user.click(screen.getByRole('button', { name: '发起调度' }));
    let dialog = await screen.findByRole('dialog');
    assert.match(dialog.textContent ?? '', /发起“2017年第三季度”：2 项任务，2 个单位，截止 \d{4}年\d{1,2}月\d{1,2}日 17:30，不需单位负责人审核。/);
    await user.click(within(dialog).getByRole('button', { name: '再看看' }));
    assert.equal(posts().length, 0);
    await user.click(screen.getByRole('button', { name: '发起调度' }));
    dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '发起调度' }));
    await screen.findByText('已跳转到 /rounds/9');
    const body = posts()[0]!.body as Record<string, unknown>;
    assert.equal(body.label, '2017年第三季度');
    assert.equal(body.periodStart, '2017-07-01');
    assert.match(String(body.deadline), /T17:30:00\+08:00$/);
    assert.equal(body.taskIds, undefined, 'all tasks: no list sent');
  });

  it('refuses a period that ends before it starts, in Chinese, without asking to confirm', async () => {
    const user = await renderPage();
    const end = screen.getByLabelText('调度期间结束');
    await user.clear(end);
    await user.type(end, '2017/6/30');
    await user.click(screen.getByRole('button', { name: '发起调度' }));
    await screen.findByText('结束日期早于开始日期');
    assert.equal(screen.queryByRole('dialog'), null);
  });

  it('never opens the confirmation on Enter in a field', async () => {
    const user = await renderPage();
    await user.type(screen.getByLabelText('轮次名称'), '{Enter}');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(screen.queryByRole('dialog'), null);
    assert.equal(posts().length, 0);
  });

  it('shows a refusal that names a field beside that field', async () => {
    fake.on('POST', '/api/plans/1/rounds', apiError(409, 'round_label_taken', '该方案已有名为“2017年第三季度”的调度，请换一个名称', { field: 'label' }));
    const user = await renderPage();
    await user.click(screen.getByRole('button', { name: '发起调度' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: '发起调度' }));
    const label = screen.getByLabelText('轮次名称');
    const item = label.closest('.ant-form-item')!;
    await within(item as HTMLElement).findByText('该方案已有名为“2017年第三季度”的调度，请换一个名称');
  });
});

describe('the default deadline', () => {
  it('is ten days after the period, but never less than a week from today', () => {
    assert.equal(defaultDeadlineDate('2017-09-30', '2017-09-01'), '2017-10-10');
    assert.equal(defaultDeadlineDate('2017-09-30', '2017-10-20'), '2017-10-27', 'a late round still gets a week');
    assert.equal(defaultDeadlineDate('2017-09-30', '2017-09-26'), '2017-10-10', 'both the same day');
  });
});
