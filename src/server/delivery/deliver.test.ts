import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { UserActor } from '../../domain/actor.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { seededRoundWork } from '../../../tests/support/seeded-plan.ts';
import { startSmtpReceiver, type ReceivedMail } from '../../../tests/support/smtp-receiver.ts';
import { loadConfig } from '../config.ts';
import { inTransaction } from '../db/transaction.ts';
import { createAnswerService } from '../services/answer.service.ts';
import { applyUnitAddressChange, createDeliveryAddressService } from '../services/delivery-address.service.ts';
import { createInstructionService } from '../services/instruction.service.ts';
import { createNoticeSignoffService } from '../services/notice-signoff.service.ts';
import { createRoundService } from '../services/round.service.ts';
import { createSubmissionService } from '../services/submission.service.ts';
import type { Channel, ChannelKind } from './channel.ts';
import { createDeliveryChannels } from './channels/index.ts';
import { daysLeft, dedupeKeyOf, deliverIn, personalAddresses, shortTitle, type DeliveryDeps } from './deliver.ts';
import { createDeliveryWorker } from './outbox.ts';

const ZONE = 'Asia/Shanghai';
const SITE = 'https://diaodu.example.cn';
const LABEL = '2017年第三季度';
/** A sealing key, so robot URLs are stored sealed as in production. */
const TOTP_KEY = 'ab'.repeat(32);

describe('deliver (pure)', () => {
  test('keys a row by occasion, recipient and channel; counts local days to a deadline; shortens a task', () => {
    assert.equal(dedupeKeyOf('round_opened:3', { unitId: 7 }, 'email'), 'round_opened:3:unit:7:email');
    assert.equal(dedupeKeyOf('round_opened:3', { userId: 7 }, 'email'), 'round_opened:3:user:7:email');
    const deadline = new Date('2017-10-16T09:00:00Z'); // Monday 17:00 in Beijing
    assert.equal(daysLeft(deadline, new Date('2017-10-13T01:00:00Z'), ZONE), 3);
    assert.equal(daysLeft(deadline, new Date('2017-10-15T23:30:00Z'), ZONE), 0, '07:30 on the Monday in Beijing, though still Sunday in UTC');
    assert.equal(daysLeft(deadline, new Date('2017-10-17T02:00:00Z'), ZONE), -1);
    assert.equal(shortTitle('一二三四五六七八九十\n一二三四五', 12), '一二三四五六七八九十 一…');
  });
});

/** A person with an account row (the heads, the notice's reviewer and signer are looked up in `users`). */
async function account(database: TestDatabase, role: string, name: string, unitId: number | null, options: { disabled?: boolean } = {}): Promise<UserActor> {
  const at = '2017-09-01T00:00:00.000Z';
  const { id } = await database.db
    .insertInto('users')
    .values({
      username: `${role}-${name}`,
      display_name: name,
      password_hash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
      role,
      unit_id: unitId,
      phone: null,
      must_change_password: 0,
      disabled: options.disabled ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { kind: 'user', userId: id, username: `${role}-${name}`, name, role: role as UserActor['role'], unitId };
}

/** The seed with a round's services wired to the real address store: 规财处 has e-mail and a 企业微信 robot; no other unit has any. */
async function setUp(database: TestDatabase, config = loadConfig({ DIAODU_TOTP_KEY: TOTP_KEY })) {
  const { time, planId, unit, person, deps } = await seededRoundWork(database);
  const addresses = createDeliveryAddressService({ database, config });
  const guicai = unit('规财处');
  await inTransaction(database, (r) =>
    applyUnitAddressChange(
      r,
      addresses.codec,
      guicai,
      { email: 'guicai@example.cn', webhook: { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key' } },
      '2017-09-01T00:00:00.000Z',
    ),
  );
  const delivery: DeliveryDeps = { addressesOfUnit: addresses.outboxAddressesOfUnit, addressesOfUser: personalAddresses, publicUrl: SITE, timeZone: ZONE };
  return {
    time,
    planId,
    unit,
    person,
    guicai,
    addresses,
    delivery,
    rounds: createRoundService({ ...deps, ...delivery }),
    answers: createAnswerService(deps),
    submissions: createSubmissionService({ ...deps, delivery }),
    instructions: createInstructionService({ ...deps, delivery }),
    signoff: createNoticeSignoffService({ ...deps, delivery }),
  };
}

type Row = {
  event: string;
  unit_id: number | null;
  user_id: number | null;
  channel: string;
  dedupe_key: string;
  subject: string;
  body: string;
  link: string | null;
  address: string;
};

async function outbox(database: TestDatabase): Promise<Row[]> {
  return database.db
    .selectFrom('outbox')
    .select(['event', 'unit_id', 'user_id', 'channel', 'dedupe_key', 'subject', 'body', 'link', 'address'])
    .orderBy('id')
    .execute();
}

/** Subject and text of a received e-mail (encoded words and a base64 body, as nodemailer writes them). */
function readMail(mail: ReceivedMail): { subject: string; text: string } {
  const [head = '', ...rest] = mail.raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectLine.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
  return { subject, text: Buffer.from(rest.join('\n\n').replace(/\s+/g, ''), 'base64').toString('utf8') };
}

// Started as the file loads, not in a top-level `before`: the file shares its process with others (scripts/run-tests.mjs).
const smtp = await startSmtpReceiver();
after(async () => {
  await smtp.close();
});

forEachEngine('every event into the outbox', (it) => {
  it('reaches the units and people with an address, once per event, in Chinese with a link, and nobody without', async (database) => {
    const s = await setUp(database);
    const { guicai } = s;
    const office = s.person('office');
    const reporter = s.person('reporter', '规财处');
    const head = await account(database, 'unit_head', '王处长', guicai);
    const quietHead = await account(database, 'unit_head', '赵处长', guicai);
    const formerHead = await account(database, 'unit_head', '钱处长', guicai, { disabled: true });
    await inTransaction(database, async (r) => {
      await r.deliveryAddresses.putUserDelivery(head.userId, { email: 'wang@example.cn', emailEnabled: true }, '2017-09-01T00:00:00.000Z');
      await r.deliveryAddresses.putUserDelivery(quietHead.userId, { email: 'zhao@example.cn', emailEnabled: false }, '2017-09-01T00:00:00.000Z');
      await r.deliveryAddresses.putUserDelivery(formerHead.userId, { email: 'qian@example.cn', emailEnabled: true }, '2017-09-01T00:00:00.000Z');
    });
    let seen = 0;
    const fresh = async () => {
      const rows = await outbox(database);
      const news = rows.slice(seen);
      seen = rows.length;
      return news;
    };
    const unitRows = (rows: Row[]) => rows.map((row) => [row.event, row.unit_id, row.user_id, row.channel]);
    const toGuicai = (event: string) => [
      [event, guicai, null, 'email'],
      [event, guicai, null, 'wecom'],
    ];

    // Round opened: 规财处 on both channels; the robot's URL stays sealed in the row.
    const round = await s.rounds.openRound(office, s.planId, {
      label: LABEL,
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: true,
    });
    let rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('round_opened'));
    assert.deepEqual(
      rows.map((row) => row.dedupe_key),
      [`round_opened:${round.id}:unit:${guicai}:email`, `round_opened:${round.id}:unit:${guicai}:wecom`],
    );
    assert.equal(rows[0]!.subject, `【新调度】${LABEL}`);
    assert.equal(rows[0]!.body, `规财处：“${LABEL}”已开始，请于 2017年10月10日 23:59 前填报并提交。`);
    assert.equal(rows[0]!.link, `${SITE}/todo/${round.id}`);
    assert.ok(!rows[1]!.address.includes('secret-key'), 'the robot URL is stored sealed');
    // Reading again, and the same occasion delivered again, add nothing.
    await s.rounds.board(office, round.id);
    const again = await inTransaction(database, (r) =>
      deliverIn(
        r,
        s.delivery,
        {
          occasion: `round_opened:${round.id}`,
          roundId: round.id,
          to: [{ recipient: { unitId: guicai }, event: { kind: 'round_opened', roundId: round.id, roundLabel: LABEL, unitName: '规财处', deadline: null } }],
        },
        new Date(),
      ),
    );
    assert.deepEqual(again, { enqueued: 0, channels: ['email', 'wecom'] });

    // 催办: the office's words, to the unit's addresses; none for a unit without any.
    const urged = await s.rounds.remind(office, round.id, guicai, '请今天下班前提交');
    await s.rounds.remind(office, round.id, s.unit('环评处'), null);
    rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('urge'));
    assert.deepEqual(
      [rows[0]!.dedupe_key, rows[0]!.subject, rows[0]!.body],
      [`urge:${urged.reminderId}:unit:${guicai}:email`, `【催办】${LABEL}`, '规财处：请今天下班前提交'],
    );

    // Submitted for approval: the active head who chose e-mail, by his own address; not the one who did not, nor a disabled account.
    const fill = async () => {
      const todo = await s.answers.todo(reporter, round.id, guicai);
      for (const item of todo.items)
        await s.answers.saveAnswer(reporter, round.id, item.task.id, guicai, {
          text: `${item.task.id}号任务已推进。`,
          status: 'on_track',
          reason: null,
          version: item.answer.version,
        });
      return todo.items.map((item) => item.task);
    };
    const tasks = await fill();
    await s.submissions.submit(reporter, round.id, guicai);
    rows = await fresh();
    assert.deepEqual(unitRows(rows), [['approval_wanted', null, head.userId, 'email']]);
    assert.equal(JSON.parse(rows[0]!.address).to, 'wang@example.cn');
    assert.deepEqual(
      [rows[0]!.subject, rows[0]!.body],
      [`【待审核】${LABEL}`, `规财处：${reporter.name}已提交“${LABEL}”的填报，等待处室负责人审核后报送办公室。`],
    );
    const headActor = { ...head };
    await s.submissions.approve(headActor, round.id, guicai);
    assert.deepEqual(await fresh(), [], 'the head’s approval goes nowhere beyond the app');

    // The office returns one task's answer and accepts the others: one message naming the task and the reason.
    const [first, ...others] = tasks as [(typeof tasks)[number], ...typeof tasks];
    await s.submissions.reviewAnswers(office, round.id, guicai, { decision: 'return', taskIds: [first.id], comment: '请补充完成率' });
    assert.deepEqual(await fresh(), [], 'nothing while other answers wait');
    if (others.length > 0) await s.submissions.reviewAnswers(office, round.id, guicai, { decision: 'accept', taskIds: others.map((t) => t.id), comment: null });
    rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('returned'));
    assert.equal(rows[0]!.body, `规财处：“${LABEL}”中“${shortTitle(first.text)}”的填报已被办公室退回，请修改后重新提交。退回意见：请补充完成率`);

    // Resubmitted, approved, returned again (the whole unit): a second event, a second message.
    await s.submissions.submit(reporter, round.id, guicai);
    assert.deepEqual(unitRows(await fresh()), [['approval_wanted', null, head.userId, 'email']], 'a second submission asks the head again');
    await s.submissions.approve(headActor, round.id, guicai);
    await s.submissions.returnAnswers(office, round.id, guicai, '数据口径不一致');
    rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('returned'));
    assert.equal(rows[0]!.body, `规财处：“${LABEL}”的填报已被办公室退回，请修改后重新提交。退回意见：数据口径不一致`);

    // Accepted at last.
    await s.submissions.submit(reporter, round.id, guicai);
    await s.submissions.approve(headActor, round.id, guicai);
    await fresh();
    await s.submissions.accept(office, round.id, guicai);
    rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('accepted'));
    assert.equal(rows[0]!.body, `规财处：“${LABEL}”的填报已被办公室采纳。`);

    // A leader's 批示 on one of 规财处's tasks: its units with an address (规财处), linked to the task.
    const leader = s.person('leader');
    const instruction = await s.instructions.createInstruction({ ...leader, name: '李岳东' }, first.id, {
      text: '抓紧推进，月底前报结果。',
      roundId: round.id,
    });
    rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('instruction'));
    assert.deepEqual(
      [rows[0]!.dedupe_key, rows[0]!.subject, rows[0]!.link],
      [`instruction:${instruction.id}:unit:${guicai}:email`, `【领导批示】${shortTitle(first.text)}`, `${SITE}/tasks/${first.id}`],
    );
    assert.equal(rows[0]!.body, `李岳东对“${shortTitle(first.text)}”作出批示：抓紧推进，月底前报结果。`);

    // The notice signed and issued: every unit of the round with an address.
    const reviewer = await account(database, 'office', '刘核稿', null);
    const signer = await account(database, 'leader', '李岳东', null);
    const drafter = await account(database, 'office', '张敏', null);
    await s.signoff.submit(drafter, round.id, { version: 0, reviewerUserId: reviewer.userId, copies: null });
    await s.signoff.review(reviewer, round.id, { version: 1, signerUserId: signer.userId, opinion: null });
    assert.deepEqual(await fresh(), [], 'the sign-off steps before signing go nowhere beyond the app');
    await s.signoff.sign(signer, round.id, { version: 2, opinion: null });
    rows = await fresh();
    assert.deepEqual(unitRows(rows), toGuicai('notice_issued'));
    assert.match(rows[0]!.subject, /^【通报】/);
    assert.match(rows[0]!.body, new RegExp(`^“${LABEL}”的调度通报《.+》已签发，请查阅。$`));

    // Nothing, ever, for a unit or person without an address.
    const all = await outbox(database);
    assert.ok(all.every((row) => row.unit_id === guicai || row.user_id === head.userId));
    assert.equal(new Set(all.map((row) => row.dedupe_key)).size, all.length);
  });

  it('a change that rolls back leaves no outbox row; round opened goes through the worker to a real SMTP server', async (database) => {
    const config = loadConfig({
      DIAODU_TOTP_KEY: TOTP_KEY,
      DIAODU_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DIAODU_MAIL_FROM: 'diaodu@example.cn',
      DIAODU_PUBLIC_URL: SITE,
    });
    const s = await setUp(database, config);
    const office = s.person('office');
    const open = (label: string) =>
      s.rounds.openRound(office, s.planId, { label, periodStart: null, periodEnd: null, deadline: '2099-10-10', note: null, requiresApproval: false });

    // The messages are written, then the change fails: neither stays.
    await assert.rejects(
      inTransaction(database, async (r) => {
        const written = await deliverIn(
          r,
          s.delivery,
          {
            occasion: 'round_opened:0',
            roundId: null,
            to: [{ recipient: { unitId: s.guicai }, event: { kind: 'round_opened', roundId: 0, roundLabel: LABEL, unitName: '规财处', deadline: null } }],
          },
          new Date(),
        );
        assert.equal(written.enqueued, 2);
        throw new Error('the change failed after its messages were written');
      }),
      /the change failed/,
    );
    assert.deepEqual(await outbox(database), []);

    const round = await open(LABEL);
    // Opening a second round with the same name is refused: nothing more is queued.
    await assert.rejects(open(LABEL), /已有名为/);
    assert.equal((await outbox(database)).length, 2);

    const channels = createDeliveryChannels(config.delivery);
    try {
      const worker = createDeliveryWorker({
        database,
        channels: new Map<ChannelKind, Channel>([['email', channels.get('email')!]]),
        workerId: 'test',
        timeZone: ZONE,
        publicUrl: SITE,
        addressesOfUnit: s.addresses.outboxAddressesOfUnit,
        openAddress: s.addresses.openOutboxAddress,
      });
      const before = smtp.received.length;
      const report = await worker.tick();
      assert.equal(report.sent, 1, 'the e-mail went (no robot channel in this worker: the robot row fails for good)');
      const mails = smtp.received.slice(before);
      assert.equal(mails.length, 1);
      assert.deepEqual(mails[0]!.to, ['guicai@example.cn']);
      const { subject, text } = readMail(mails[0]!);
      assert.equal(subject, `【新调度】${LABEL}`);
      assert.equal(text, `规财处：“${LABEL}”已开始，请于 2099年10月10日 23:59 前填报并提交。\n\n查看详情：${SITE}/todo/${round.id}\n`);
      const states = (await database.db.selectFrom('outbox').select(['channel', 'state']).orderBy('id').execute()).map((row) => `${row.channel} ${row.state}`);
      assert.deepEqual(states, ['email sent', 'wecom failed']);
      await worker.tick();
      assert.equal(smtp.received.length, before + 1, 'sent once');
    } finally {
      channels.close();
    }
  });
});
