import { z } from 'zod';
import type { OrganisationProfileView } from '../../../domain/api/organisation-profile.ts';
import { LEADER_WORDS, ProfileLimits } from '../../../domain/organisation-profile.ts';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const profileSchema = z.object({
  fullName: z.string().describe('单位全称'),
  officeName: z.string().describe('办公室名称（通报的落款和印发机关）'),
  issuerMark: z.string().describe('发文机关标志'),
  docPrefixes: z.array(z.string()).describe('机关代字，常用的在前'),
  leaderWord: z.string().describe(`领导称谓：${LEADER_WORDS.join('、')}`),
  unitWords: z.array(z.string()).describe('处室称谓，常用的在前'),
  timeZone: z.string().nullable().describe('IANA 时区；null 为系统配置的时区'),
});

const profileViewSchema = z.object({
  profile: profileSchema.nullable().describe('未设置时为 null，新调度的通报不带单位名称'),
  timeZone: z.string().describe('生效的时区'),
  source: z.string().nullable().describe('admin 页面 | cli 命令行 | import 首次导入的通报 | demo 演示数据'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  words: z
    .object({
      leader: z.string().describe('领导称谓，如 局领导'),
      unit: z.string().describe('单位称谓，如 处室'),
      leadersColumn: z.string().describe('调度表的领导列，如 牵头局领导'),
      unitsColumn: z.string().describe('调度表的责任单位列，如 责任科室'),
    })
    .describe('页面和调度表使用的称谓；未设置单位信息时为 领导、单位'),
}) satisfies z.ZodType<OrganisationProfileView>;

// Lengths are bounded here against abuse; the service names each rule broken in Chinese.
const profileBody = z.object({
  fullName: z.string().max(ProfileLimits.fullName.max * 2),
  officeName: z.string().max(ProfileLimits.officeName.max * 2),
  issuerMark: z.string().max(ProfileLimits.issuerMark.max * 2),
  docPrefixes: z.array(z.string().max(ProfileLimits.docPrefix.max * 2)).max(ProfileLimits.docPrefixes.max * 2),
  leaderWord: z.string().max(10),
  unitWords: z.array(z.string().max(ProfileLimits.unitWord.max * 2)).max(ProfileLimits.unitWords.max * 2),
  timeZone: z.string().max(64).nullable().optional(),
});

/**
 * The organisation profile (decision 027): everyone signed in reads it; the system admin sets it
 * (the operator too, with `diaodu profile set`).
 */
export const organisationProfileRoutes: RouteModule = (app) => {
  app.get(
    '/api/organisation-profile',
    { schema: { tags: ['admin'], summary: '本单位信息（所有登录用户可查看）', response: { 200: profileViewSchema, ...errorResponses } } },
    async (request) => request.services.organisationProfile.view(request.actor),
  );
  app.put(
    '/api/admin/organisation-profile',
    {
      schema: {
        tags: ['admin'],
        summary: '设置本单位信息（系统管理员）',
        body: profileBody,
        response: { 200: profileViewSchema, 422: errorViewSchema, ...errorResponses, 403: errorViewSchema.describe('仅系统管理员可以设置') },
      },
    },
    async (request) => request.services.organisationProfile.update(request.actor, request.body),
  );
};
