import { actorLabel, systemActor, type Actor } from '../../domain/actor.ts';
import type { OrganisationAdminView, OrganisationChoice, OrganisationCreatedView } from '../../domain/api/organisation-view.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { inTransaction } from '../db/transaction.ts';
import { assertRole } from '../policies/policy.ts';
import { temporaryPassword } from '../services/password-policy.ts';
import { audit } from '../services/round.service.ts';
import { ORGANISATION_CODE_PATTERN, type Directory, type OrganisationRecord } from './directory.ts';

/** The longest organisation name (a full official name, 某省某市生态环境局 and longer). */
export const ORGANISATION_NAME_MAX = 100;

export type NewOrganisationInput = { code: string; name: string; adminUsername: string; adminName: string };

/**
 * The platform administrator's work (decision 028): create organisations (a store, its profile,
 * its first system administrator with a temporary password shown once), list them with counts,
 * archive one (its accounts can no longer log in; its data stays). It never reads business data:
 * inside each organisation, 三员 hold as before. Audited in the home store, and the creation in
 * the new store too. The CLI (`diaodu org`) calls it as the system actor.
 */
export function createPlatformService(deps: { directory: Directory; now?: () => Date }) {
  const { directory } = deps;
  const clock = deps.now ?? (() => new Date());
  const home = directory.home.database;

  async function viewOf(record: OrganisationRecord): Promise<OrganisationAdminView> {
    const counts = await createRepositories((await directory.databaseOf(record.id)).db).organisations.storeCounts();
    return { id: record.id, code: record.code, name: record.name, home: record.home, archivedAt: record.archivedAt, ...counts };
  }

  async function list(actor: Actor): Promise<OrganisationAdminView[]> {
    assertRole(actor, 'platform_admin');
    return Promise.all((await directory.list()).map(viewOf));
  }

  async function create(actor: Actor, input: NewOrganisationInput): Promise<OrganisationCreatedView> {
    assertRole(actor, 'platform_admin');
    const code = input.code.trim().toLowerCase();
    const name = stripControlCharacters(input.name).trim();
    const adminName = stripControlCharacters(input.adminName).trim();
    const problems: { field: string; message: string }[] = [];
    if (!ORGANISATION_CODE_PATTERN.test(code)) problems.push({ field: 'code', message: '代码须为 2–32 位小写字母、数字或“-”，以字母开头' });
    if (name === '' || [...name].length > ORGANISATION_NAME_MAX) problems.push({ field: 'name', message: `名称须为 1–${ORGANISATION_NAME_MAX} 个字` });
    if (adminName === '') problems.push({ field: 'adminName', message: '请填写首位系统管理员的姓名' });
    if (problems.length > 0) throw invalid('organisation_invalid', `组织信息不正确：${problems.map((p) => p.message).join('；')}`, { problems });
    if (await directory.findByCode(code)) throw conflict('organisation_code_taken', `组织代码“${code}”已被使用`, { field: 'code' });

    const record = await directory.create(actor, { code, name });
    // Inside the new store nobody of it acts yet: the platform administrator acts as the operator.
    const storeActor = systemActor(`platform:${actorLabel(actor)}`);
    let password: string;
    let adminUsername: string;
    try {
      const services = await directory.servicesOf(record.id);
      await services.organisationProfile.update(storeActor, {
        fullName: name,
        officeName: `${name}办公室`,
        issuerMark: `${name}办公室`,
        docPrefixes: [],
        leaderWord: '领导',
        unitWords: ['处', '科', '室'],
        timeZone: null,
      });
      password = temporaryPassword(input.adminUsername, (await services.auth.passwordPolicy.current()).minLength);
      const adminId = await services.users.createUser(storeActor, {
        username: input.adminUsername,
        displayName: adminName,
        password,
        role: 'system_admin',
        unitId: null,
        mustChangePassword: true,
      });
      adminUsername = (await createRepositories((await directory.databaseOf(record.id)).db).users.findUserById(adminId))!.username;
      const at = clock().toISOString();
      await inTransaction(await directory.databaseOf(record.id), (repositories) =>
        audit(repositories, storeActor, at, {
          action: 'organisation.create',
          objectType: 'organisation',
          objectId: record.id,
          detail: { code, name, admin: adminUsername, by: actorLabel(actor) },
        }),
      );
      // Inside the try: an organisation whose creation is not in the home audit log is discarded.
      await inTransaction(home, (repositories) =>
        audit(repositories, actor, clock().toISOString(), {
          action: 'organisation.create',
          objectType: 'organisation',
          objectId: record.id,
          detail: { code, name, admin: adminUsername },
        }),
      );
    } catch (error) {
      await directory.discard(record.id);
      throw error;
    }
    return { organisation: await viewOf(record), admin: { username: adminUsername, displayName: adminName }, temporaryPassword: password };
  }

  async function archive(actor: Actor, id: number): Promise<OrganisationAdminView> {
    assertRole(actor, 'platform_admin');
    const record = await directory.find(id);
    if (!record) throw notFound('organisation_not_found', `组织 ${id} 不存在`, { organisationId: id });
    if (record.home) throw invalid('organisation_home', '本部署的主组织不能归档', { organisationId: id });
    const at = clock().toISOString();
    if (!(await directory.archive(id, at))) throw conflict('organisation_archived', `组织“${record.name}”已归档`, { organisationId: id });
    await inTransaction(home, (repositories) =>
      audit(repositories, actor, at, {
        action: 'organisation.archive',
        objectType: 'organisation',
        objectId: id,
        detail: { code: record.code, name: record.name },
      }),
    );
    return viewOf((await directory.find(id))!);
  }

  /** The active organisations, home first, for the login page (public: names are no secret). */
  async function choices(): Promise<OrganisationChoice[]> {
    return (await directory.list()).filter((record) => record.archivedAt === null).map(({ code, name }) => ({ code, name }));
  }

  return { list, create, archive, choices };
}

export type PlatformService = ReturnType<typeof createPlatformService>;
