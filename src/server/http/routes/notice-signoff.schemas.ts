import { z } from 'zod';
import { SIGNOFF_ACTIONS, SIGNOFF_STATES, type NoticeSignoffView } from '../../../domain/api/notice-signoff-view.ts';
import { SignoffLimits } from '../../../domain/limits.ts';
import { idParam, versionSchema } from '../schemas.ts';

const step = z.object({ name: z.string(), at: z.string().nullable(), opinion: z.string().nullable() });
const person = z.object({ userId: z.number().int(), name: z.string() });

/** The sign-off as the notice page shows it (src/domain/api/notice-signoff-view.ts). */
export const noticeSignoffView = z.object({
  roundId: z.number().int(),
  state: z.enum(SIGNOFF_STATES),
  stateLabel: z.string(),
  version: z.number().int(),
  isSigned: z.boolean(),
  stale: z.boolean(),
  copies: z.number().int().nullable(),
  drafter: step.nullable(),
  reviewer: step.nullable(),
  signer: step.nullable(),
  lastReturn: z.object({ by: z.string(), at: z.string(), comment: z.string() }).nullable(),
  history: z.array(
    z.object({
      action: z.enum(SIGNOFF_ACTIONS),
      actionLabel: z.string(),
      actor: z.string(),
      at: z.string(),
      comment: z.string().nullable(),
      fromState: z.enum(SIGNOFF_STATES),
      toState: z.enum(SIGNOFF_STATES),
    }),
  ),
  actions: z.array(z.enum(SIGNOFF_ACTIONS)),
  reviewers: z.array(person),
  signers: z.array(person),
  editable: z.boolean(),
}) satisfies z.ZodType<NoticeSignoffView>;

export const signoffParams = z.object({ roundId: idParam });

/** The sign-off version the step was taken on (0 before the first). Missing: refused, never guessed. */
const version = versionSchema.describe('签发状态的版本号（首次送核稿前为 0）');
const comment = z.string().trim().min(1, '请填写意见').max(SignoffLimits.comment.max, `意见不能超过 ${SignoffLimits.comment.max} 字`);
const userId = z.number().int('应为用户编号').positive('应为用户编号');
const opinion = z.string().max(SignoffLimits.opinion.max, `意见不能超过 ${SignoffLimits.opinion.max} 字`).nullable().default(null);

export const submitBody = z.object({
  version,
  reviewerUserId: userId.describe('核稿人（另一位办公室人员）'),
  copies: z
    .number()
    .int('印数应为整数')
    .min(SignoffLimits.copies.min, '印数至少为 1')
    .max(SignoffLimits.copies.max, `印数不能超过 ${SignoffLimits.copies.max}`)
    .nullable()
    .default(null),
});
export const reviewBody = z.object({ version, signerUserId: userId.describe('签发人（领导）'), opinion });
export const signBody = z.object({ version, opinion });
export const commentBody = z.object({ version, comment });
