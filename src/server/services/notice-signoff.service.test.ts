import assert from 'node:assert/strict';
import type { UserActor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { person } from '../../../tests/support/people.ts';
import { seededRoundWork } from '../../../tests/support/seeded-plan.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { createAnswerService } from './answer.service.ts';
import { readRoundIn } from './compile-round.service.ts';
import { isNoticeSignedIn, createNoticeSignoffService } from './notice-signoff.service.ts';
import { createNoticeService } from './notice.service.ts';
import { createRoundService } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

async function setUp(database: TestDatabase) {
  const { time, planId, importedRoundId, unit, deps } = await seededRoundWork(database);
  const drafter = await person(database, 'office', { name: '张敏' });
  const reviewer = await person(database, 'office', { name: '王芳' });
  const leader = await person(database, 'leader', { name: '李岳东' });
  const otherLeader = await person(database, 'leader', { name: '高洁' });
  const rounds = createRoundService({ ...deps, warnDays: 3 });
  const round = await rounds.openRound(drafter, planId, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: '2017-10-10',
    note: null,
    requiresApproval: false,
  });
  return {
    time,
    unit,
    database,
    drafter,
    reviewer,
    leader,
    otherLeader,
    roundId: round.id,
    importedRoundId,
    signoff: createNoticeSignoffService(deps),
    notices: createNoticeService(deps),
    answers: createAnswerService(deps),
    submissions: createSubmissionService(deps),
  };
}
type Setup = Awaited<ReturnType<typeof setUp>>;

const rejects = async (promise: Promise<unknown>, kind: string, code: string) =>
  assert.rejects(promise, (error: unknown) => isDomainError(error) && error.kind === kind && error.code === code);

async function walkToSigning(s: Setup) {
  let view = await s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: 30 });
  view = await s.signoff.review(s.reviewer, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: '文字已核' });
  return view;
}

async function auditActions(database: TestDatabase, roundId: number): Promise<string[]> {
  const rows = await database.db
    .selectFrom('audit_events')
    .select(['action'])
    .where('object_type', '=', 'notice')
    .where('object_id', '=', String(roundId))
    .orderBy('id')
    .execute();
  return rows.map((row) => row.action);
}

async function saveNoticeTitle(s: Setup, actor: UserActor, title: string) {
  const current = await s.notices.getNotice(actor, s.roundId);
  return s.notices.saveNotice(actor, s.roundId, { notice: { ...current.notice, title }, version: current.version });
}

forEachEngine('notice sign-off (拟稿 → 核稿 → 签发)', (it) => {
  it('walks 拟稿 → 核稿 → 签发, recording who and when, auditing and notifying each step', async (database) => {
    const s = await setUp(database);
    let view = await s.signoff.getSignoff(s.drafter, s.roundId);
    assert.equal(view.state, 'drafting');
    assert.deepEqual(view.actions, ['submit']);
    assert.deepEqual(
      view.reviewers.map((p) => p.name),
      ['王芳'],
      'the drafter is never offered as reviewer',
    );
    assert.equal(view.isSigned, false);

    s.time.set('2017-10-11T01:00:00.000Z');
    view = await s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: 30 });
    assert.equal(view.state, 'reviewing');
    assert.deepEqual(view.drafter, { name: '张敏', at: '2017-10-11T01:00:00.000Z', opinion: null });
    assert.deepEqual(view.reviewer, { name: '王芳', at: null, opinion: null });
    assert.equal(view.copies, 30);
    assert.deepEqual(view.actions, [], 'the drafter cannot review their own draft');
    assert.deepEqual((await s.signoff.getSignoff(s.reviewer, s.roundId)).actions, ['review', 'return']);

    s.time.set('2017-10-11T02:00:00.000Z');
    view = await s.signoff.review(s.reviewer, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: '文字已核' });
    assert.equal(view.state, 'signing');
    assert.deepEqual(view.reviewer, { name: '王芳', at: '2017-10-11T02:00:00.000Z', opinion: '文字已核' });
    assert.deepEqual((await s.signoff.getSignoff(s.leader, s.roundId)).actions, ['sign', 'return']);
    assert.deepEqual((await s.signoff.getSignoff(s.otherLeader, s.roundId)).actions, [], 'only the chosen leader signs');
    await rejects(s.signoff.sign(s.otherLeader, s.roundId, { version: view.version, opinion: null }), 'forbidden', 'signoff_not_assignee');

    s.time.set('2017-10-11T03:00:00.000Z');
    view = await s.signoff.sign(s.leader, s.roundId, { version: view.version, opinion: null });
    assert.equal(view.state, 'signed');
    assert.equal(view.isSigned, true);
    assert.equal(view.stale, false);
    assert.deepEqual(view.signer, { name: '李岳东', at: '2017-10-11T03:00:00.000Z', opinion: '同意' });
    assert.deepEqual(
      view.history.map((event) => [event.action, event.actor]),
      [
        ['submit', '张敏'],
        ['review', '王芳'],
        ['sign', '李岳东'],
      ],
    );
    assert.deepEqual(await auditActions(database, s.roundId), ['notice.submit', 'notice.review', 'notice.sign']);
    const signedRow = await database.db.selectFrom('notice_signoffs').selectAll().where('round_id', '=', s.roundId).executeTakeFirstOrThrow();
    assert.match(signedRow.fingerprint ?? '', /^[0-9a-f]{64}$/);
    const told = await database.db.selectFrom('notifications').select(['user_id', 'message']).where('kind', '=', 'notice_signoff').orderBy('id').execute();
    assert.deepEqual(
      told.map((row) => row.user_id),
      [s.reviewer.userId, s.leader.userId, s.drafter.userId],
      'the reviewer, the signer, then the drafter are told',
    );
    assert.ok(await inReadTransaction(database, async (r) => isNoticeSignedIn(r, s.roundId, (await readRoundIn(r, s.roundId)).compiled)));
  });

  it('two first submissions at once: one goes through, the other is 409 signoff_version_conflict', async (database) => {
    const s = await setUp(database);
    const results = await Promise.allSettled(
      [0, 1].map(() => s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(isDomainError(failure.reason) && failure.reason.code === 'signoff_version_conflict', String(failure.reason));
    assert.equal((await s.signoff.getSignoff(s.drafter, s.roundId)).history.length, 1);
  });

  it('the reviewer is never the drafter, and must be an office account', async (database) => {
    const s = await setUp(database);
    await rejects(s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.drafter.userId, copies: null }), 'conflict', 'reviewer_is_drafter');
    await rejects(s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.leader.userId, copies: null }), 'invalid', 'reviewer_invalid');
    await rejects(s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: 0 }), 'invalid', 'copies_invalid');
    const view = await s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null });
    // Another office account (not the named reviewer) cannot review it either.
    const third = await person(database, 'office', { name: '孙丽' });
    await rejects(
      s.signoff.review(third, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: null }),
      'forbidden',
      'signoff_not_assignee',
    );
    await rejects(
      s.signoff.review(s.drafter, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: null }),
      'forbidden',
      'signoff_not_assignee',
    );
    await rejects(
      s.signoff.review(s.reviewer, s.roundId, { version: view.version, signerUserId: s.reviewer.userId, opinion: null }),
      'invalid',
      'signer_invalid',
    );
    await rejects(
      s.signoff.review(s.reviewer, s.roundId, { version: view.version - 1, signerUserId: s.leader.userId, opinion: null }),
      'conflict',
      'signoff_version_conflict',
    );
    await rejects(s.signoff.sign(s.leader, s.roundId, { version: view.version, opinion: null }), 'conflict', 'signoff_state');
  });

  it('returns at 核稿 and at 签发 go back to the drafter with a required comment; the text is editable again', async (database) => {
    const s = await setUp(database);
    let view = await s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null });
    await rejects(s.signoff.returnToDrafter(s.reviewer, s.roundId, { version: view.version, comment: '  ' }), 'invalid', 'comment_required');
    await rejects(s.signoff.returnToDrafter(s.drafter, s.roundId, { version: view.version, comment: '撤回' }), 'forbidden', 'signoff_not_assignee');
    view = await s.signoff.returnToDrafter(s.reviewer, s.roundId, { version: view.version, comment: '第二段数字与附件不符' });
    assert.equal(view.state, 'drafting');
    assert.deepEqual(view.lastReturn && [view.lastReturn.by, view.lastReturn.comment], ['王芳', '第二段数字与附件不符']);
    assert.equal(view.editable, true);
    await saveNoticeTitle(s, s.drafter, '关于2017年第三季度工作推进情况的通报（改）');
    await rejects(
      s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null }),
      'conflict',
      'signoff_version_conflict',
    );
    view = await s.signoff.submit(s.drafter, s.roundId, { version: view.version, reviewerUserId: s.reviewer.userId, copies: null });
    assert.equal(view.state, 'reviewing');
    assert.equal(view.lastReturn, null);
    assert.deepEqual(
      view.history.map((event) => event.action),
      ['submit', 'return', 'submit'],
    );
  });

  it('a return at 签发 (by the chosen leader) and a re-open of a signed notice, each audited', async (database) => {
    const s = await setUp(database);
    let view = await walkToSigning(s);
    view = await s.signoff.returnToDrafter(s.leader, s.roundId, { version: view.version, comment: '请补充滞后任务的原因' });
    assert.equal(view.state, 'drafting');
    assert.equal(view.lastReturn?.by, '李岳东');
    assert.equal(view.reviewer?.at, null, 'the review is to be done again');
    view = await s.signoff.submit(s.drafter, s.roundId, { version: view.version, reviewerUserId: s.reviewer.userId, copies: 20 });
    view = await s.signoff.review(s.reviewer, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: null });
    view = await s.signoff.sign(s.leader, s.roundId, { version: view.version, opinion: '同意印发' });
    await rejects(s.signoff.reopen(s.drafter, s.roundId, { version: view.version, comment: '' }), 'invalid', 'comment_required');
    await rejects(s.signoff.reopen(s.leader, s.roundId, { version: view.version, comment: '改' }), 'forbidden', 'forbidden');
    view = await s.signoff.reopen(s.drafter, s.roundId, { version: view.version, comment: '文号有误' });
    assert.equal(view.state, 'drafting');
    assert.equal(view.isSigned, false);
    assert.deepEqual(await auditActions(database, s.roundId), [
      'notice.submit',
      'notice.review',
      'notice.return',
      'notice.submit',
      'notice.review',
      'notice.sign',
      'notice.reopen',
    ]);
    const returned = await database.db.selectFrom('audit_events').select('detail').where('action', '=', 'notice.return').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(returned.detail).comment, '请补充滞后任务的原因');
  });

  it('the notice text cannot be saved in 核稿 or 签发, nor once signed (409 in Chinese)', async (database) => {
    const s = await setUp(database);
    await saveNoticeTitle(s, s.drafter, '标题一');
    let view = await s.signoff.submit(s.drafter, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null });
    assert.equal(view.editable, false);
    await assert.rejects(
      saveNoticeTitle(s, s.drafter, '标题二'),
      (e: unknown) => isDomainError(e) && e.kind === 'conflict' && e.code === 'notice_in_review' && /王芳核稿/.test(e.message),
    );
    view = await s.signoff.review(s.reviewer, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: null });
    await rejects(saveNoticeTitle(s, s.reviewer, '标题二'), 'conflict', 'notice_in_signing');
    view = await s.signoff.sign(s.leader, s.roundId, { version: view.version, opinion: null });
    await assert.rejects(saveNoticeTitle(s, s.drafter, '标题二'), (e: unknown) => isDomainError(e) && e.code === 'notice_signed' && /撤回签发/.test(e.message));
    assert.equal((await s.notices.getNotice(s.drafter, s.roundId)).notice.title, '标题一');
  });

  it('a table change after signing leaves the signature stale: not signed for the export until re-opened and signed again', async (database) => {
    const s = await setUp(database);
    let view = await walkToSigning(s);
    view = await s.signoff.sign(s.leader, s.roundId, { version: view.version, opinion: null });
    assert.equal(view.isSigned, true);

    // 环评处 answers and submits after signing; the office accepts: the compiled table changes.
    const reporter = { kind: 'user', userId: 900, username: 'r', name: '陈静', role: 'reporter', unitId: s.unit('环评处') } as const;
    const todo = await s.answers.todo(reporter, s.roundId, reporter.unitId);
    for (const item of todo.items)
      await s.answers.saveAnswer(reporter, s.roundId, item.task.id, reporter.unitId, {
        text: '已按期推进。',
        status: 'on_track',
        reason: null,
        version: item.answer.version,
      });
    await s.submissions.submit(reporter, s.roundId, reporter.unitId);
    await s.submissions.accept(s.drafter, s.roundId, reporter.unitId);

    view = await s.signoff.getSignoff(s.drafter, s.roundId);
    assert.equal(view.state, 'signed');
    assert.equal(view.stale, true);
    assert.equal(view.isSigned, false);
    assert.match(view.stateLabel, /需重新签发/);
    assert.equal(await inReadTransaction(database, async (r) => isNoticeSignedIn(r, s.roundId, (await readRoundIn(r, s.roundId)).compiled)), false);

    view = await s.signoff.reopen(s.drafter, s.roundId, { version: view.version, comment: '签发后环评处补报，重新签发' });
    view = await s.signoff.submit(s.drafter, s.roundId, { version: view.version, reviewerUserId: s.reviewer.userId, copies: null });
    view = await s.signoff.review(s.reviewer, s.roundId, { version: view.version, signerUserId: s.leader.userId, opinion: null });
    view = await s.signoff.sign(s.leader, s.roundId, { version: view.version, opinion: null });
    assert.equal(view.isSigned, true);
    assert.equal(view.stale, false);
  });

  it('an imported round’s notice is issued by its document: counts as signed, no steps', async (database) => {
    const s = await setUp(database);
    const view = await s.signoff.getSignoff(s.drafter, s.importedRoundId);
    assert.equal(view.state, 'issued');
    assert.equal(view.isSigned, true);
    assert.deepEqual(view.actions, []);
    assert.match(view.stateLabel, /导入/);
    await rejects(
      s.signoff.submit(s.drafter, s.importedRoundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null }),
      'conflict',
      'notice_issued_by_document',
    );
    assert.ok(await inReadTransaction(database, async (r) => isNoticeSignedIn(r, s.importedRoundId, (await readRoundIn(r, s.importedRoundId)).compiled)));
  });

  it('units and the 三员 neither read nor move the sign-off', async (database) => {
    const s = await setUp(database);
    for (const role of ['reporter', 'unit_head', 'system_admin', 'security_admin', 'audit_admin'] as const) {
      const someone = await person(database, role, { unitId: role === 'reporter' || role === 'unit_head' ? s.unit('环评处') : null });
      await rejects(s.signoff.getSignoff(someone, s.roundId), 'forbidden', 'forbidden');
      await rejects(s.signoff.submit(someone, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null }), 'forbidden', 'forbidden');
    }
    await rejects(s.signoff.submit(s.leader, s.roundId, { version: 0, reviewerUserId: s.reviewer.userId, copies: null }), 'forbidden', 'forbidden');
  });
});
