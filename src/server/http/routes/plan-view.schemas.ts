import { z } from 'zod';
import type { InstructionView, PlanSummaryView, PlanTreeView, SearchHitView, TaskDetailView, TaskRowView } from '../../../domain/api/plan-view.ts';
import { InstructionLimits, NameLimits, PROGRESS_STATUSES, SearchLimits } from '../../../domain/limits.ts';
import { idParam } from '../schemas.ts';

/**
 * Zod schemas of the plan views, search and instructions: request validation, response
 * shaping and the OpenAPI document. Each response schema is checked against its view type
 * in src/domain/api/plan-view.ts.
 */

const roundStatus = z.enum(['imported', 'open', 'closed', 'void']);
const progressStatus = z.enum(PROGRESS_STATUSES);
const roundRef = z.object({ id: z.number().int(), label: z.string(), status: roundStatus });

export const planSummaryView = z.object({
  id: z.number().int(),
  title: z.string(),
  docNumber: z.string().nullable(),
  tasks: z.number().int(),
  rounds: z.array(roundRef),
  archivedAt: z.string().nullable(),
}) satisfies z.ZodType<PlanSummaryView>;

const answerRow = z.object({
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  status: progressStatus.nullable(),
  text: z.string(),
  state: z.enum(['empty', 'draft', 'submitted', 'approved', 'returned', 'accepted', 'imported']),
});

export const taskRowView = z.object({
  id: z.number().int(),
  position: z.number().int(),
  text: z.string(),
  leadDepartment: z.string().nullable(),
  due: z.string().nullable().describe('完成时限（按方案原文）'),
  leaders: z.array(z.string()),
  units: z.array(z.object({ id: z.number().int(), name: z.string(), role: z.enum(['lead', 'co']) })),
  answers: z.array(answerRow),
  warnings: z.array(z.string()),
  retired: z.boolean(),
}) satisfies z.ZodType<TaskRowView>;

export const planTreeView = z.object({
  plan: z.object({ id: z.number().int(), title: z.string(), docNumber: z.string().nullable() }),
  round: roundRef.nullable(),
  chapters: z.array(
    z.object({
      id: z.number().int(),
      number: z.number().int(),
      title: z.string(),
      sections: z.array(z.object({ id: z.number().int(), number: z.number().int(), title: z.string(), tasks: z.array(taskRowView) })),
    }),
  ),
  matched: z.number().int(),
  total: z.number().int(),
}) satisfies z.ZodType<PlanTreeView>;

export const instructionView = z.object({
  id: z.number().int(),
  taskId: z.number().int(),
  roundId: z.number().int().nullable(),
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
}) satisfies z.ZodType<InstructionView>;

export const taskDetailView = z.object({
  task: taskRowView.extend({
    chapter: z.object({ number: z.number().int(), title: z.string() }),
    section: z.object({ number: z.number().int(), title: z.string() }),
  }),
  rounds: z.array(roundRef.extend({ answers: z.array(answerRow) })),
  instructions: z.array(instructionView),
}) satisfies z.ZodType<TaskDetailView>;

export const searchHitView = z.object({
  taskId: z.number().int(),
  planId: z.number().int(),
  roundLabel: z.string().nullable(),
  field: z.enum(['task', 'progress']),
  unitName: z.string().nullable(),
  snippet: z.string().describe('匹配处前后的文字；匹配内容以 \\u0001 开始、\\u0002 结束，供高亮'),
}) satisfies z.ZodType<SearchHitView>;

/** `1`/`true` and `0`/`false`, as a query string carries a checkbox. */
const queryFlag = z
  .enum(['1', '0', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true')
  .optional();

export const planParams = z.object({ planId: idParam });
export const taskParams = z.object({ taskId: idParam });

export const planTreeQuery = z.object({
  roundId: idParam.optional().describe('调度轮次；默认最近一轮'),
  current: queryFlag.describe('现行方案（不含任何轮次的推进情况；发起调度时选任务用）'),
  unitId: idParam.optional().describe('责任部门（处室）'),
  leader: z.string().max(NameLimits.leader.max).optional().describe('牵头领导姓名'),
  department: z.string().max(NameLimits.department.max).optional().describe('省级牵头部门'),
  status: progressStatus.optional().describe('推进状态'),
  unanswered: queryFlag.describe('只看有责任部门尚未填写的任务'),
  q: z.string().max(SearchLimits.q.max).optional().describe('搜索任务内容与本轮推进情况'),
});

export const searchQuery = z.object({
  q: z.string().max(SearchLimits.q.max).default('').describe('搜索内容；3 个字及以上用三元组索引，1–2 个字逐条匹配；多个词以空格分隔，须全部出现'),
  planId: idParam.optional(),
});

export const instructionBody = z.object({
  text: z.string().max(InstructionLimits.text.max, `批示不能超过 ${InstructionLimits.text.max} 字`),
  roundId: z.number().int().positive().nullable().optional().describe('针对的调度轮次（可选）'),
});
