import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../domain/actor.ts';
import type { Role } from '../../domain/api/roles.ts';
import type { OrganisationProfile } from '../../domain/organisation-profile.ts';
import { isDomainError } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { hashPassword } from './auth-passwords.ts';
import type { OrganisationProfileService } from './organisation-profile.service.ts';
import type { PlanFileImport, PlanFileService } from './plan-file.service.ts';
import type { UserService } from './user.service.ts';

/**
 * Demo data: the seed document (the Sichuan Q2 2017 notice) and one account per role, all with
 * one published password. Loaded by `npm start` into an empty database and by `diaodu demo`.
 * A real deployment sets DIAODU_DEMO=false: these passwords are in the README.
 */

/** The one password of every demo account (meets the password policy: 3 of 4 classes). */
export const DEMO_PASSWORD = 'Diaodu@2017';

/** The project's copy of the seed document (fixtures/seed/SOURCE.md says where it comes from). */
export const DEMO_SEED_FILE = fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url));

/**
 * The seed department's organisation profile (decision 027): the demo deployment speaks in its
 * words. This module is the one place in src/ that knows the seed's department.
 */
export const DEMO_PROFILE: OrganisationProfile = {
  fullName: '四川省环境保护厅',
  officeName: '四川省环境保护厅办公室',
  issuerMark: '四川省环境保护厅办公室',
  docPrefixes: ['川环办发', '川环办函'],
  leaderWord: '厅领导',
  unitWords: ['处', '室'],
  timeZone: null,
};

/** What `diaodu demo` says it loads. */
export const DEMO_DESCRIPTION = '四川省环境保护厅 2017 年第二季度调度通报和各角色的演示账号';

export type DemoAccount = {
  username: string;
  displayName: string;
  role: Role;
  /** The seed unit a reporter or unit head belongs to, by name. */
  unit: string | null;
  /** What to try with it, for the start-up banner and the README. */
  note: string;
};

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'office', displayName: '张敏', role: 'office', unit: null, note: '办公室调度管理员：开调度、催办、审核、汇总' },
  { username: 'office2', displayName: '王芳', role: 'office', unit: null, note: '办公室核稿：核通报稿后送领导签发' },
  { username: 'leader', displayName: '李岳东', role: 'leader', unit: null, note: '厅领导：查看全部、写批示、签发通报' },
  { username: 'huanping', displayName: '陈静', role: 'reporter', unit: '环评处', note: '环评处填报员' },
  { username: 'huanping-head', displayName: '刘伟', role: 'unit_head', unit: '环评处', note: '环评处负责人：审核本处填报' },
  { username: 'guicai', displayName: '赵磊', role: 'reporter', unit: '规财处', note: '规财处填报员' },
  { username: 'shuichu', displayName: '周婷', role: 'reporter', unit: '水处', note: '水处填报员' },
  { username: 'shengtai', displayName: '吴刚', role: 'reporter', unit: '生态处', note: '生态处填报员' },
  { username: 'daqi', displayName: '郑洁', role: 'reporter', unit: '大气处', note: '大气处填报员' },
  { username: 'sysadmin', displayName: '系统管理员', role: 'system_admin', unit: null, note: '系统管理员：账号、处室、设置' },
  { username: 'secadmin', displayName: '安全管理员', role: 'security_admin', unit: null, note: '安全管理员：角色与策略' },
  { username: 'auditor', displayName: '审计管理员', role: 'audit_admin', unit: null, note: '审计管理员：查看审计日志' },
  { username: 'platform', displayName: '平台管理员', role: 'platform_admin', unit: null, note: '平台管理员：创建、归档组织，不见任何单位的业务数据' },
  {
    username: 'supervisor',
    displayName: '孙立新',
    role: 'supervisor',
    unit: null,
    note: '省级督查员：查看全省汇总（各单位轮次、按时报送率、红黄绿灯、滞后数）',
  },
];

/**
 * The demo's second organisation (decision 028): a city bureau with its own profile, plan, round
 * and people, so the separation between organisations is visible. Log in choosing it on the login
 * page (its code `demo-city`).
 */
export const DEMO_CITY = { code: 'demo-city', name: '示例市生态环境局' } as const;

export const DEMO_CITY_PROFILE: OrganisationProfile = {
  fullName: '示例市生态环境局',
  officeName: '示例市生态环境局办公室',
  issuerMark: '示例市生态环境局办公室',
  docPrefixes: ['示环办发'],
  leaderWord: '局领导',
  unitWords: ['科', '室'],
  timeZone: null,
};

export const DEMO_CITY_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'city-office', displayName: '孙丽华', role: 'office', unit: null, note: '示例市局办公室：开调度、审核、汇总' },
  { username: 'city-leader', displayName: '钱志远', role: 'leader', unit: null, note: '示例市局领导：查看全部、写批示' },
  { username: 'city-reporter', displayName: '冯晓雨', role: 'reporter', unit: '大气环境科', note: '示例市局大气环境科填报员' },
  { username: 'city-head', displayName: '褚建平', role: 'unit_head', unit: '大气环境科', note: '示例市局大气环境科负责人' },
  { username: 'city-admin', displayName: '示例市系统管理员', role: 'system_admin', unit: null, note: '示例市局系统管理员' },
  { username: 'city-secadmin', displayName: '示例市安全管理员', role: 'security_admin', unit: null, note: '示例市局安全管理员' },
  { username: 'city-auditor', displayName: '示例市审计管理员', role: 'audit_admin', unit: null, note: '示例市局审计管理员' },
];

/** The city bureau's plan: a small progress table in bureau words (牵头局领导, 责任科室, 市级牵头单位), chapters and sections as spanning rows. */
export const DEMO_CITY_PLAN = {
  fileName: '示例市2026年第一季度调度表.txt',
  text: [
    '《示例市2026年生态环境保护工作要点》2026年第一季度工作推进情况调度表',
    ['序号', '重点任务', '市级牵头单位', '牵头局领导', '责任科室', '完成时限', '推进情况', '备注'].join('\t'),
    ['一、持续改善城市空气质量', '', '', '', '', '', '', ''].join('\t'),
    ['（一）扬尘与餐饮油烟治理', '', '', '', '', '', '', ''].join('\t'),
    [
      '1',
      '完成城区建筑工地扬尘在线监测全覆盖。',
      '示例市生态环境局',
      '钱志远',
      '大气环境科',
      '2026年6月底前',
      '已接入在线监测工地86个。（大气环境科）',
      '',
    ].join('\t'),
    ['2', '开展餐饮油烟净化设施专项检查。', '', '钱志远', '大气环境科、执法监察科', '2026年9月', '', ''].join('\t'),
    ['二、守护城乡水环境安全', '', '', '', '', '', '', ''].join('\t'),
    ['（一）河湖生态保护', '', '', '', '', '', '', ''].join('\t'),
    ['3', '完成城区黑臭水体返黑返臭排查。', '示例市水务局', '杨海涛', '水生态环境科', '2026年12月', '已排查水体14处。（水生态环境科）', ''].join('\t'),
  ].join('\n'),
};

/** A made-up Chengdu office number per unit, for the chasing board's contact column. */
export function demoUnitPhone(unitId: number): string {
  return `028-8058${String(9000 + (unitId % 1000)).padStart(4, '0')}`;
}

export type DemoAccountsReport = { created: string[]; existing: string[] };

export type DemoDataReport = { plan: PlanFileImport; accounts: DemoAccountsReport };

let demoHash: Promise<string> | undefined;

/**
 * One argon2id hash of the demo password, shared by the demo accounts and memoised for the
 * process: the password is published, so per-account salts protect nothing here, and test
 * suites that seed a fresh database per test skip eleven 30 ms hashes each time.
 */
function demoPasswordHash(): Promise<string> {
  demoHash ??= hashPassword(DEMO_PASSWORD);
  return demoHash;
}

export type DemoServiceDeps = {
  database: Database;
  users: UserService;
  planFile: PlanFileService;
  organisationProfile: OrganisationProfileService;
  now?: () => Date;
};

export function createDemoService(deps: DemoServiceDeps) {
  const { database, users, planFile, organisationProfile } = deps;
  const clock = deps.now ?? (() => new Date());

  /**
   * Creates the demo accounts that do not exist yet (idempotent), their units where the seed
   * has not stored them, and a demo phone for every unit that has none.
   */
  async function seedAccounts(actor: Actor, accounts: readonly DemoAccount[] = DEMO_ACCOUNTS): Promise<DemoAccountsReport> {
    const now = clock().toISOString();
    const unitNames = [...new Set(accounts.flatMap((account) => (account.unit ? [account.unit] : [])))];
    const unitIds = await inTransaction(database, async (repositories) => {
      const ids = await repositories.organisation.upsertUnitsByName(unitNames, now);
      for (const unit of await repositories.organisation.listUnits())
        if (unit.phone === null) await repositories.organisation.setUnitPhoneIfMissing(unit.id, demoUnitPhone(unit.id));
      return ids;
    });
    const passwordHash = await demoPasswordHash();
    const report: DemoAccountsReport = { created: [], existing: [] };
    for (const account of accounts) {
      const stored = await inReadTransaction(database, (repositories) => repositories.users.findUserByUsername(account.username));
      if (stored) {
        report.existing.push(account.username);
        continue;
      }
      const unitId = account.unit ? (unitIds.get(account.unit) ?? null) : null;
      try {
        await users.createUser(
          actor,
          { username: account.username, displayName: account.displayName, password: DEMO_PASSWORD, role: account.role, unitId, mustChangePassword: false },
          { passwordHash },
        );
        report.created.push(account.username);
      } catch (error) {
        // Another process seeding at the same moment got there first: the account exists.
        if (isDomainError(error) && error.code === 'username_taken') report.existing.push(account.username);
        else throw error;
      }
    }
    return report;
  }

  /** The seed department's profile, unless someone set the deployment's own already. */
  async function setDemoProfile(actor: Actor): Promise<boolean> {
    if ((await organisationProfile.view(actor)).profile) return false;
    await organisationProfile.update(actor, DEMO_PROFILE, { demo: true });
    return true;
  }

  /** Sets the seed's profile (if none), imports the seed document (unchanged if already there) and seeds the demo accounts. */
  async function loadDemoData(actor: Actor): Promise<DemoDataReport> {
    await setDemoProfile(actor);
    const bytes = await readFile(DEMO_SEED_FILE);
    const plan = await planFile.importFile(actor, { fileName: 'sichuan-2017-q2-notice.txt', bytes });
    const accounts = await seedAccounts(actor);
    return { plan, accounts };
  }

  /** True when no account exists yet: the first start of a fresh installation. */
  async function hasNoAccounts(): Promise<boolean> {
    return (await inReadTransaction(database, (repositories) => repositories.users.countUsers())) === 0;
  }

  /** The demo city bureau's data, in its own store: profile, plan (with its round) and accounts. */
  async function loadDemoCityData(actor: Actor): Promise<DemoDataReport> {
    if (!(await organisationProfile.view(actor)).profile) await organisationProfile.update(actor, DEMO_CITY_PROFILE, { demo: true });
    const plan = await planFile.importFile(actor, { fileName: DEMO_CITY_PLAN.fileName, bytes: new TextEncoder().encode(DEMO_CITY_PLAN.text) });
    const accounts = await seedAccounts(actor, DEMO_CITY_ACCOUNTS);
    return { plan, accounts };
  }

  return { setDemoProfile, seedAccounts, loadDemoData, loadDemoCityData, hasNoAccounts };
}

export type DemoService = ReturnType<typeof createDemoService>;

/** The demo logins as printed at start-up and by `diaodu demo`. */
export function describeDemoLogins(): string {
  const width = Math.max(...[...DEMO_ACCOUNTS, ...DEMO_CITY_ACCOUNTS].map((account) => account.username.length));
  const line = (account: DemoAccount) => `  ${account.username.padEnd(width)}  ${account.displayName}（${account.note}）`;
  return [
    `演示账号 demo logins (密码 password: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map(line),
    `第二个组织 ${DEMO_CITY.name}（登录页选择该单位，单位代码 ${DEMO_CITY.code}）:`,
    ...DEMO_CITY_ACCOUNTS.map(line),
  ].join('\n');
}
