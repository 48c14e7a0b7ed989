import assert from 'node:assert/strict';
import { systemActor, type Actor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import type { OrganisationProfile } from '../../domain/organisation-profile.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { readSeedDocument, userActor } from '../../../tests/support/seeded-plan.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { createNoticeService } from './notice.service.ts';
import { createOrganisationProfileService } from './organisation-profile.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createRoundService } from './round.service.ts';

const bureau: OrganisationProfile = {
  fullName: '某某市生态环境局',
  officeName: '某某市生态环境局办公室',
  issuerMark: '某某市生态环境局办公室文件',
  docPrefixes: ['某环办', '某环办函'],
  leaderWord: '局领导',
  unitWords: ['科', '室'],
  timeZone: null,
};

/** The seed imported — with its notice (which names the organisation) or without. */
async function setUp(database: TestDatabase, options: { withNotice: boolean }) {
  const now = () => new Date('2017-09-20T09:00:00+08:00');
  const document = readSeedDocument();
  const imported = await createPlanImportService({ database, now }).importDocument(
    systemActor('test'),
    options.withNotice ? document : { ...document, plan: { ...document.plan, docNumber: null }, notice: null },
    {
      fileName: 'seed.txt',
      contentHash: options.withNotice ? 'with' : 'without',
    },
  );
  const profiles = createOrganisationProfileService({ database, timeZone: 'Asia/Shanghai', now });
  const rounds = createRoundService({ database, now, warnDays: 3 });
  const notices = createNoticeService({ database, now });
  const office = userActor('office');
  const openQ3 = () =>
    rounds.openRound(office, imported.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
  return { planId: imported.planId, profiles, notices, office, openQ3 };
}

const refusedWith = (kind: string, code?: string) => (error: unknown) =>
  isDomainError(error) && error.kind === kind && (code === undefined || error.code === code);

forEachEngine('organisation profile', (it) => {
  it('with no profile a new round’s notice names nobody, suggests no prefix, and says the profile is missing', async (database) => {
    const s = await setUp(database, { withNotice: false });
    const view = await s.profiles.view(s.office);
    assert.equal(view.profile, null);
    assert.equal(view.timeZone, 'Asia/Shanghai', 'the configured time zone');
    const round = await s.openQ3();
    const notice = await s.notices.getNotice(s.office, round.id);
    assert.equal(notice.profileMissing, true);
    assert.equal(notice.notice.issuingOffice, null);
    assert.equal(notice.notice.issuer, null);
    assert.equal(notice.notice.printed.by, null);
    assert.equal(notice.notice.recipients, '各有关单位：');
    assert.match(notice.notice.title ?? '', /^关于《/);
    assert.equal(notice.suggestedDocNumber.prefix, '');
    assert.equal(notice.suggestedDocNumber.docNumber, '');
    await assert.rejects(s.notices.suggestNextNumber(s.office, round.id, 2017), refusedWith('invalid', 'notice_prefix_invalid'), 'no prefix to suggest in');
    assert.equal((await s.notices.suggestNextNumber(s.office, round.id, 2017, '某环办')).docNumber, '某环办〔2017〕1号');
  });

  it('the first imported notice sets the profile when none is set, audited; a set profile is never overwritten by an import', async (database) => {
    const s = await setUp(database, { withNotice: true });
    const view = await s.profiles.view(s.office);
    assert.deepEqual(view.profile, {
      fullName: '四川省环境保护厅',
      officeName: '四川省环境保护厅办公室',
      issuerMark: '四川省环境保护厅办公室',
      docPrefixes: ['川环办发'],
      leaderWord: '厅领导',
      unitWords: ['处', '室'],
      timeZone: null,
    });
    assert.equal(view.source, 'import');
    const audited = await createRepositories(database.db).audit.listAuditEvents({ action: 'settings.organisation_profile' });
    assert.equal(audited.length, 1);

    const round = await s.openQ3();
    const notice = await s.notices.getNotice(s.office, round.id);
    assert.equal(notice.profileMissing, false);
    assert.equal(notice.notice.issuingOffice, '四川省环境保护厅办公室');
    assert.equal(notice.notice.recipients, '厅机关各处（室）、直属各单位：');
    assert.equal(notice.suggestedDocNumber.prefix, '川环办发');
  });

  it('the system admin sets it; a new round’s notice and number then speak the bureau’s words; the time zone falls back', async (database) => {
    const s = await setUp(database, { withNotice: false });
    const admin = userActor('system_admin', { username: 'sysadmin' });
    const saved = await s.profiles.update(admin, { ...bureau, fullName: '  某某市生态环境局\u0007 ', docPrefixes: ['某环办', '某环办', '', ' 某环办函'] });
    assert.deepEqual(saved.profile, bureau, 'trimmed, control characters and duplicates dropped');
    assert.equal(saved.source, 'admin');
    assert.equal(saved.timeZone, 'Asia/Shanghai');
    const round = await s.openQ3();
    const notice = await s.notices.getNotice(s.office, round.id);
    assert.equal(notice.profileMissing, false);
    assert.equal(notice.notice.issuingOffice, '某某市生态环境局办公室文件');
    assert.equal(notice.notice.issuer, '某某市生态环境局办公室');
    assert.equal(notice.notice.printed.by, '某某市生态环境局办公室');
    assert.equal(notice.notice.recipients, '局机关各科（室）、直属各单位：');
    assert.match(notice.notice.title ?? '', /^某某市生态环境局办公室关于《/);
    assert.match(notice.notice.body[0] ?? '', /请各牵头科（室）、直属单位/);
    assert.equal(notice.suggestedDocNumber.docNumber, '某环办〔2017〕1号');

    const zoned = await s.profiles.update(admin, { ...bureau, timeZone: 'Asia/Urumqi' });
    assert.equal(zoned.timeZone, 'Asia/Urumqi');
    const rows = await createRepositories(database.db).audit.listAuditEvents({ action: 'settings.organisation_profile' });
    assert.equal(rows.length, 2, 'each change audited');
    assert.ok(rows.every((row) => row.user_id === admin.userId && row.detail.includes('某某市生态环境局')));
  });

  it('only the system admin (or the operator) sets it; everything wrong is named', async (database) => {
    const s = await setUp(database, { withNotice: false });
    for (const actor of [s.office, userActor('leader'), userActor('security_admin'), userActor('audit_admin')] as Actor[])
      await assert.rejects(s.profiles.update(actor, bureau), refusedWith('forbidden'), actor.kind === 'user' ? actor.role : 'system');
    assert.equal((await s.profiles.update(systemActor('cli'), bureau)).source, 'cli');
    const admin = userActor('system_admin');
    await assert.rejects(
      s.profiles.update(admin, { ...bureau, fullName: ' ', leaderWord: '老板', unitWords: [], docPrefixes: ['某〔环〕'], timeZone: 'Mars/Base' }),
      (error: unknown) => {
        assert.ok(isDomainError(error) && error.code === 'organisation_profile_invalid');
        for (const part of ['请填写单位全称', '领导称谓应为', '请至少填写一个处室称谓', '不能含括号', '不是 IANA 时区名称'])
          assert.ok(error.message.includes(part), `${part} in ${error.message}`);
        return true;
      },
    );
    await assert.rejects(s.profiles.update(admin, { ...bureau, officeName: '办'.repeat(101) }), refusedWith('invalid', 'organisation_profile_invalid'));
    assert.deepEqual((await s.profiles.view(s.office)).profile, bureau, 'a refused change leaves the profile as it was');
  });
});
