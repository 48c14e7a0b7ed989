import { z } from 'zod';
import type {
  EditableTaskView,
  PlanChangeView,
  PlanNamesView,
  PlanStructureView,
  TaskHistoryEntryView,
  UnitOpenRoundsView,
} from '../../../domain/api/plan-edit.ts';
import { NameLimits, PlanEditLimits, TaskLimits } from '../../../domain/limits.ts';
import { errorResponses, errorViewSchema, idParam, versionSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { planParams, taskParams } from './plan-view.schemas.ts';

const responses = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;

const reason = z.string().max(PlanEditLimits.reason.max, `修改原因不能超过 ${PlanEditLimits.reason.max} 字`).describe('修改原因（必填）');
const title = z.string().max(PlanEditLimits.title.max, `标题不能超过 ${PlanEditLimits.title.max} 字`);
const docNumber = z.string().max(PlanEditLimits.docNumber.max, `文号不能超过 ${PlanEditLimits.docNumber.max} 字`).nullable().optional();
const unitInput = z.object({ name: z.string().max(NameLimits.unit.max, `单位名称不能超过 ${NameLimits.unit.max} 字`), role: z.enum(['lead', 'co']) });
const taskFields = {
  text: z.string().max(TaskLimits.text.max, `任务内容不能超过 ${TaskLimits.text.max} 字`),
  leadDepartment: z.string().max(NameLimits.department.max, `牵头部门名称不能超过 ${NameLimits.department.max} 字`).nullable(),
  leaders: z.array(z.string().max(NameLimits.leader.max, `领导姓名不能超过 ${NameLimits.leader.max} 字`)).max(PlanEditLimits.names.max),
  units: z.array(unitInput).max(PlanEditLimits.names.max),
  due: z.string().max(TaskLimits.due.max, `完成时限不能超过 ${TaskLimits.due.max} 字`).nullable(),
};

const changeView = z.object({ planId: z.number().int(), objectId: z.number().int(), revisionId: z.number().int() }) satisfies z.ZodType<PlanChangeView>;
const editableTask = z.object({
  id: z.number().int(),
  lineage: z.number().int(),
  position: z.number().int(),
  text: z.string(),
  leadDepartment: z.string().nullable(),
  leaders: z.array(z.string()),
  units: z.array(z.object({ name: z.string(), role: z.enum(['lead', 'co']) })),
  due: z.string().nullable(),
  version: z.number().int(),
  retired: z.boolean(),
}) satisfies z.ZodType<EditableTaskView>;
const structureView = z.object({
  plan: z.object({ id: z.number().int(), title: z.string(), docNumber: z.string().nullable(), archivedAt: z.string().nullable() }),
  chapters: z.array(
    z.object({
      id: z.number().int(),
      number: z.number().int(),
      title: z.string(),
      retired: z.boolean(),
      sections: z.array(z.object({ id: z.number().int(), number: z.number().int(), title: z.string(), retired: z.boolean(), tasks: z.array(editableTask) })),
    }),
  ),
}) satisfies z.ZodType<PlanStructureView>;
const namesView = z.object({ units: z.array(z.string()), leaders: z.array(z.string()), departments: z.array(z.string()) }) satisfies z.ZodType<PlanNamesView>;
const historyView = z.array(
  z.object({ at: z.string(), author: z.string(), reason: z.string(), kind: z.string(), appliesFrom: z.string().nullable(), sentence: z.string() }),
) satisfies z.ZodType<TaskHistoryEntryView[]>;
const openRoundsView = z.object({
  plans: z.array(
    z.object({
      planId: z.number().int(),
      planTitle: z.string(),
      rounds: z.array(z.object({ id: z.number().int(), label: z.string(), deadline: z.string().nullable(), state: z.string() })),
    }),
  ),
}) satisfies z.ZodType<UnitOpenRoundsView>;

const chapterParams = z.object({ chapterId: idParam });
const sectionParams = z.object({ sectionId: idParam });
const headingBody = z.object({ title: title.optional(), retire: z.boolean().optional().describe('撤销（其中不能还有未撤销的任务）'), reason });

/** Plan editing (issue 14, decision 029): the office changes a plan; every change is a revision with its reason. */
export const planEditRoutes: RouteModule = (app) => {
  app.get(
    '/api/plan-names',
    { schema: { tags: ['plans'], summary: '可选的责任单位、牵头领导、牵头部门名称', response: { 200: namesView, ...errorResponses } } },
    async (request) => request.services.planEdits.names(request.actor),
  );

  app.post(
    '/api/plans',
    { schema: { tags: ['plans'], summary: '新建分工方案（仅办公室）', body: z.object({ title, docNumber }), response: { 201: changeView, ...responses } } },
    async (request, reply) =>
      reply
        .code(201)
        .send(await request.services.planEdits.createPlan(request.actor, { title: request.body.title, docNumber: request.body.docNumber ?? null })),
  );

  app.get(
    '/api/plans/:planId/structure',
    { schema: { tags: ['plans'], summary: '分工方案现行结构（编辑用；已撤销的标出）', params: planParams, response: { 200: structureView, ...responses } } },
    async (request) => request.services.planEdits.structure(request.actor, request.params.planId),
  );

  app.post(
    '/api/plans/:planId/chapters',
    { schema: { tags: ['plans'], summary: '新增章', params: planParams, body: z.object({ title, reason }), response: { 201: changeView, ...responses } } },
    async (request, reply) => reply.code(201).send(await request.services.planEdits.addChapter(request.actor, request.params.planId, request.body)),
  );

  app.patch(
    '/api/chapters/:chapterId',
    { schema: { tags: ['plans'], summary: '修改或撤销章', params: chapterParams, body: headingBody, response: { 200: changeView, ...responses } } },
    async (request) => request.services.planEdits.changeHeading(request.actor, 'chapter', request.params.chapterId, request.body),
  );

  app.post(
    '/api/chapters/:chapterId/sections',
    { schema: { tags: ['plans'], summary: '新增节', params: chapterParams, body: z.object({ title, reason }), response: { 201: changeView, ...responses } } },
    async (request, reply) => reply.code(201).send(await request.services.planEdits.addSection(request.actor, request.params.chapterId, request.body)),
  );

  app.patch(
    '/api/sections/:sectionId',
    { schema: { tags: ['plans'], summary: '修改或撤销节', params: sectionParams, body: headingBody, response: { 200: changeView, ...responses } } },
    async (request) => request.services.planEdits.changeHeading(request.actor, 'section', request.params.sectionId, request.body),
  );

  app.post(
    '/api/sections/:sectionId/tasks',
    {
      schema: {
        tags: ['plans'],
        summary: '新增任务',
        params: sectionParams,
        body: z.object({ ...taskFields, reason }),
        response: { 201: changeView, ...responses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await request.services.planEdits.addTask(request.actor, { ...request.body, sectionId: request.params.sectionId })),
  );

  app.patch(
    '/api/tasks/:taskId',
    {
      schema: {
        tags: ['plans'],
        summary: '修改任务（内容、牵头部门、牵头领导、责任单位、完成时限）',
        description: '已被调度轮次使用的任务会生成新版本（新的任务编号），自下一轮起生效；旧版本保留在已有轮次中。version 过期时返回 409。',
        params: taskParams,
        body: z.object({
          version: versionSchema,
          reason,
          text: taskFields.text.optional(),
          leadDepartment: taskFields.leadDepartment.optional(),
          leaders: taskFields.leaders.optional(),
          units: taskFields.units.optional(),
          due: taskFields.due.optional(),
        }),
        response: { 200: changeView, ...responses },
      },
    },
    async (request) => request.services.planEdits.editTask(request.actor, request.params.taskId, request.body),
  );

  app.post(
    '/api/tasks/:taskId/move',
    {
      schema: {
        tags: ['plans'],
        summary: '把任务移到同一方案的另一节',
        params: taskParams,
        body: z.object({ sectionId: z.number().int().positive(), version: versionSchema, reason }),
        response: { 200: changeView, ...responses },
      },
    },
    async (request) => request.services.planEdits.moveTask(request.actor, request.params.taskId, request.body),
  );

  app.post(
    '/api/tasks/:taskId/retire',
    {
      schema: {
        tags: ['plans'],
        summary: '撤销任务（自下一轮起不再调度）',
        params: taskParams,
        body: z.object({ version: versionSchema, reason }),
        response: { 200: changeView, ...responses },
      },
    },
    async (request) => request.services.planEdits.retireTask(request.actor, request.params.taskId, request.body),
  );

  app.get(
    '/api/tasks/:taskId/history',
    { schema: { tags: ['plans'], summary: '任务的修改记录（含各版本）', params: taskParams, response: { 200: historyView, ...responses } } },
    async (request) => request.services.planEdits.history(request.actor, request.params.taskId),
  );

  app.post(
    '/api/plans/:planId/copy',
    {
      schema: {
        tags: ['plans'],
        summary: '复制为下一年度的分工方案',
        params: planParams,
        body: z.object({ title, docNumber }),
        response: { 201: changeView.extend({ tasks: z.number().int() }), ...responses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await request.services.planEdits.copyPlan(request.actor, request.params.planId, {
          title: request.body.title,
          docNumber: request.body.docNumber ?? null,
        }),
      ),
  );

  app.post(
    '/api/plans/:planId/archive',
    {
      schema: {
        tags: ['plans'],
        summary: '归档分工方案（须先结束进行中的调度）',
        params: planParams,
        body: z.object({ reason }),
        response: { 200: changeView, ...responses },
      },
    },
    async (request) => request.services.planEdits.archivePlan(request.actor, request.params.planId, request.body),
  );

  app.get(
    '/api/units/:unitId/open-rounds',
    {
      schema: {
        tags: ['answers'],
        summary: '单位在各分工方案中进行中的调度（我的填报）',
        params: z.object({ unitId: idParam }),
        response: { 200: openRoundsView, ...responses },
      },
    },
    async (request) => request.services.planEdits.openRoundsOfUnit(request.actor, request.params.unitId),
  );
};
