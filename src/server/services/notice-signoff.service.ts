import { createHash } from 'node:crypto';
import type { Actor, UserActor } from '../../domain/actor.ts';
import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import {
  SIGNOFF_ACTION_LABELS,
  SIGNOFF_STATE_LABELS,
  type NoticeSignoffView,
  type SignoffAction,
  type SignoffPerson,
  type SignoffState,
} from '../../domain/api/notice-signoff-view.ts';
import { conflict, forbidden, invalid } from '../../domain/errors.ts';
import { formatDateZh } from '../../domain/dates.ts';
import { SignoffLimits } from '../../domain/limits.ts';
import type { Notice } from '../../domain/plan-document.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import { isUniqueViolation, type Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { SignoffChanges } from '../db/repositories/notice-signoff.repository.ts';
import type { NoticeSignoffRow } from '../db/schema-signoff.ts';
import type { RoundRow } from '../db/schema.ts';
import type { CoverSheet } from '../documents/writers/cover-sheet-docx.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { deliverIn, type DeliveryDeps } from '../delivery/deliver.ts';
import {
  assertCanDraftNotice,
  assertCanReopenNotice,
  assertCanReturnNotice,
  assertCanReviewNotice,
  assertCanSignNotice,
} from '../policies/notice-signoff.policy.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { readRoundIn, type CompiledRound } from './compile-round.service.ts';
import { audit, requireRound } from './round.service.ts';

/** The audit row of each step. */
const AUDIT_ACTION_OF: Record<SignoffAction, AuditAction> = {
  submit: 'notice.submit',
  review: 'notice.review',
  sign: 'notice.sign',
  return: 'notice.return',
  reopen: 'notice.reopen',
};

/** The stored states; `issued` is never stored (an imported round's notice). */
type StoredState = Exclude<SignoffState, 'issued'>;

/**
 * SHA-256 of what a leader signs: the notice's every field and the compiled table, as the
 * exports print them. Recomputed on every read: when it differs, the signature no longer covers
 * the notice (an answer accepted after signing, a re-import …).
 */
function signedFingerprint(compiled: Pick<CompiledRound, 'notice' | 'table'>): string {
  // The header is the organisation profile's words (its leader and unit words), not what the leader
  // signed: a renamed word leaves the signature standing; any cell, a due date included, does not.
  const table = { ...compiled.table, header: undefined };
  return createHash('sha256')
    .update(JSON.stringify({ notice: compiled.notice, table }))
    .digest('hex');
}

/** An imported round whose notice came with its document: issued already, signed by that document. */
async function isIssuedByDocument(repositories: Repositories, round: Pick<RoundRow, 'id' | 'status'>): Promise<boolean> {
  return round.status === 'imported' && !(await repositories.roundStatistics.hasSubmissions(round.id));
}

/**
 * Whether the round's notice is signed as it stands (or issued by an imported document): the
 * export prints it without the 征求意见稿 mark only then. `compiled` is what the caller read in
 * the same transaction.
 */
export async function isNoticeSignedIn(repositories: Repositories, roundId: number, compiled: Pick<CompiledRound, 'notice' | 'table'>): Promise<boolean> {
  if (await isIssuedByDocument(repositories, await requireRound(repositories, roundId))) return true;
  const row = await repositories.noticeSignoffs.find(roundId);
  return row?.state === 'signed' && row.fingerprint === signedFingerprint(compiled);
}

/**
 * Refuses a save of the notice text while it is with the reviewer or the signer, and once it is
 * signed (frozen: re-open first). Called by the notice service inside its transaction.
 */
export async function assertNoticeEditableIn(repositories: Repositories, roundId: number): Promise<void> {
  const row = await repositories.noticeSignoffs.find(roundId);
  if (!row) return;
  if (row.state === 'reviewing')
    throw conflict('notice_in_review', `通报正在由${row.reviewer_name ?? '核稿人'}核稿，不能修改；如需修改，请核稿人退回`, {
      state: row.state,
      reviewer: row.reviewer_name,
    });
  if (row.state === 'signing')
    throw conflict('notice_in_signing', `通报正在等待${row.signer_name ?? '领导'}签发，不能修改；如需修改，请签发人退回`, {
      state: row.state,
      signer: row.signer_name,
    });
  if (row.state === 'signed')
    throw conflict('notice_signed', `通报已由${row.signer_name ?? '领导'}签发，不能修改；如需修改，请先撤回签发`, {
      state: row.state,
      signer: row.signer_name,
    });
}

/**
 * The 发文稿纸 of a round's notice: the notice's fields and the sign-off as recorded so far (a
 * step not taken yet stays blank on the form). Read inside the export's transaction.
 */
export async function coverSheetIn(repositories: Repositories, roundId: number, notice: Notice, timeZone?: string): Promise<CoverSheet> {
  const row = await repositories.noticeSignoffs.find(roundId);
  const day = (at: string | null | undefined) => (at ? formatDateZh(at, timeZone) : null);
  return {
    issuingOffice: notice.issuingOffice,
    docNumber: notice.docNumber,
    title: notice.title,
    recipients: notice.recipients,
    cc: notice.cc,
    attachment: notice.attachment,
    hostUnit: notice.contact.unit ?? notice.printed.by,
    copies: row?.copies ?? null,
    signer: row?.signer_name && row.signed_at ? { name: row.signer_name, opinion: row.sign_opinion, date: day(row.signed_at) } : null,
    reviewer: row?.reviewer_name && row.reviewed_at ? { name: row.reviewer_name, opinion: row.review_opinion, date: day(row.reviewed_at) } : null,
    drafter: row?.drafter_name ? { name: row.drafter_name, date: day(row.drafted_at) } : null,
  };
}

export type SubmitInput = { version: number; reviewerUserId: number; copies: number | null };
export type ReviewInput = { version: number; signerUserId: number; opinion: string | null };
export type SignInput = { version: number; opinion: string | null };
export type CommentInput = { version: number; comment: string };

/**
 * The sign-off of a round's notice (docs/decisions/025): the drafting office account sends it to a
 * second office account for 核稿, who passes it to a leader for 签发. Each step records who and
 * when, can be returned to the drafter with a comment, is audited in its transaction and tells the
 * next person (a notification to that user). Signing records the SHA-256 of the notice and table.
 */
export function createNoticeSignoffService(deps: { database: Database; now?: () => Date; delivery?: DeliveryDeps }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function viewOf(repositories: Repositories, roundId: number, actor: Actor): Promise<NoticeSignoffView> {
    const round = await requireRound(repositories, roundId);
    const [row, events, issued] = await Promise.all([
      repositories.noticeSignoffs.find(roundId),
      repositories.noticeSignoffs.listEvents(roundId),
      isIssuedByDocument(repositories, round),
    ]);
    const state: SignoffState = issued ? 'issued' : ((row?.state as StoredState | undefined) ?? 'drafting');
    let stale = false;
    if (!issued && row?.state === 'signed') stale = row.fingerprint !== signedFingerprint((await readRoundIn(repositories, roundId)).compiled);
    const [offices, leaders] = await Promise.all([
      repositories.noticeSignoffs.listActiveAccounts('office'),
      repositories.noticeSignoffs.listActiveAccounts('leader'),
    ]);
    const history = events.map((event) => ({
      action: event.action as SignoffAction,
      actionLabel: SIGNOFF_ACTION_LABELS[event.action as SignoffAction] ?? event.action,
      actor: event.actor_name,
      at: event.at,
      comment: event.comment,
      fromState: event.from_state as SignoffState,
      toState: event.to_state as SignoffState,
    }));
    const last = history.at(-1);
    const returned = state === 'drafting' && last && (last.action === 'return' || last.action === 'reopen') && last.comment;
    return {
      roundId,
      state,
      stateLabel: stale ? '已签发（签发后内容已变化，需重新签发）' : issued ? '已印发（随导入的文件签发）' : SIGNOFF_STATE_LABELS[state],
      version: row ? Number(row.version) : 0,
      isSigned: issued || (state === 'signed' && !stale),
      stale,
      copies: row?.copies ?? null,
      drafter: row?.drafter_name ? { name: row.drafter_name, at: row.drafted_at, opinion: null } : null,
      reviewer: row?.reviewer_name ? { name: row.reviewer_name, at: row.reviewed_at, opinion: row.review_opinion } : null,
      signer: row?.signer_name ? { name: row.signer_name, at: row.signed_at, opinion: row.sign_opinion } : null,
      lastReturn: returned ? { by: last.actor, at: last.at, comment: last.comment! } : null,
      history,
      actions: issued ? [] : actionsOf(actor, row),
      reviewers: actor.kind === 'user' ? offices.filter((person) => person.id !== actor.userId).map(personOf) : offices.map(personOf),
      signers: leaders.map(personOf),
      editable: issued || !row || row.state === 'drafting',
    };
  }

  async function getSignoff(actor: Actor, roundId: number): Promise<NoticeSignoffView> {
    assertCanReadBoard(actor, '查看通报签发');
    return inReadTransaction(database, (repositories) => viewOf(repositories, roundId, actor));
  }

  /**
   * One transition, in one transaction: the row moved over its version (a stale view is refused
   * with 409), the event kept for the history, the audit row written, the next person told.
   */
  async function transition(
    actor: UserActor,
    roundId: number,
    version: number,
    step: {
      action: SignoffAction;
      from: readonly StoredState[];
      to: StoredState;
      comment?: string | null;
      check?: (row: NoticeSignoffRow | undefined, repositories: Repositories) => Promise<void> | void;
      changes: (row: NoticeSignoffRow | undefined, repositories: Repositories, at: string) => Promise<SignoffChanges> | SignoffChanges;
      notify?: (row: NoticeSignoffRow | undefined, changes: SignoffChanges) => { userId: number | null; message: string } | null;
      detail?: (changes: SignoffChanges) => Record<string, unknown>;
      /** What goes beyond the app once the step is taken (signing: the notice to every unit of the round). */
      deliver?: (repositories: Repositories, round: RoundRow, occasion: string, at: string) => Promise<void>;
    },
  ): Promise<NoticeSignoffView> {
    const at = now();
    // Two first submissions racing: the second insert meets the first's row (round_id is the key).
    const raced = (error: unknown) => {
      if (!isUniqueViolation(error)) throw error;
      throw conflict('signoff_version_conflict', '通报的签发状态已被他人改变，请刷新后再操作', {});
    };
    return inTransaction(database, async (repositories) => {
      const round = await requireRound(repositories, roundId);
      if (await isIssuedByDocument(repositories, round))
        throw conflict('notice_issued_by_document', `调度“${round.label}”的通报随导入的文件印发，已视为签发，无需再走签发流程`, { roundId });
      const row = await repositories.noticeSignoffs.find(roundId);
      const state = (row?.state as StoredState | undefined) ?? 'drafting';
      const stored = row ? Number(row.version) : 0;
      if (version !== stored)
        throw conflict('signoff_version_conflict', `通报的签发状态已变化（现为${SIGNOFF_STATE_LABELS[state]}），请刷新后再操作`, { state, version: stored });
      if (!step.from.includes(state))
        throw conflict('signoff_state', `通报当前为“${SIGNOFF_STATE_LABELS[state]}”，不能${SIGNOFF_ACTION_LABELS[step.action]}`, {
          state,
          action: step.action,
        });
      await step.check?.(row, repositories);
      const changes = { ...(await step.changes(row, repositories, at)), state: step.to };
      if (row) {
        if ((await repositories.noticeSignoffs.updateAtVersion(roundId, stored, changes, at)) === 0)
          throw conflict('signoff_version_conflict', '通报的签发状态已被他人改变，请刷新后再操作', { version: stored });
      } else {
        await repositories.noticeSignoffs.insert(roundId, changes, at);
      }
      await repositories.noticeSignoffs.appendEvent({
        round_id: roundId,
        action: step.action,
        from_state: state,
        to_state: step.to,
        actor_user_id: actor.userId,
        actor_name: actor.name,
        comment: step.comment ?? null,
        at,
      });
      await audit(repositories, actor, at, {
        action: AUDIT_ACTION_OF[step.action],
        objectType: 'notice',
        objectId: roundId,
        detail: { from: state, to: step.to, ...(step.comment ? { comment: step.comment } : {}), ...step.detail?.(changes) },
      });
      const notice = step.notify?.(row, changes);
      if (notice?.userId)
        await repositories.roundWork.insertNotification({
          unitId: null,
          userId: notice.userId,
          roundId,
          kind: 'notice_signoff',
          message: `调度“${round.label}”的通报${notice.message}`,
          now: at,
        });
      await step.deliver?.(repositories, round, `${step.action}:${roundId}:v${stored}`, at);
      return viewOf(repositories, roundId, actor);
    }).catch(raced);
  }

  async function submit(actor: Actor, roundId: number, input: SubmitInput): Promise<NoticeSignoffView> {
    const drafter = assertCanDraftNotice(actor);
    const copies = input.copies;
    if (copies !== null && (!Number.isInteger(copies) || copies < SignoffLimits.copies.min || copies > SignoffLimits.copies.max))
      throw invalid('copies_invalid', `印数应为 ${SignoffLimits.copies.min}–${SignoffLimits.copies.max} 的整数`, { field: 'copies', copies });
    let reviewer: SignoffPerson | undefined;
    return transition(drafter, roundId, input.version, {
      action: 'submit',
      from: ['drafting'],
      to: 'reviewing',
      check: async (_row, repositories) => {
        if (input.reviewerUserId === drafter.userId)
          throw conflict('reviewer_is_drafter', '核稿须由另一位办公室人员进行，拟稿人不能核自己的稿', { field: 'reviewerUserId' });
        reviewer = (await repositories.noticeSignoffs.listActiveAccounts('office')).map(personOf).find((person) => person.userId === input.reviewerUserId);
        if (!reviewer)
          throw invalid('reviewer_invalid', '所选核稿人不是在用的办公室账号，请重新选择', { field: 'reviewerUserId', reviewerUserId: input.reviewerUserId });
      },
      changes: (_row, _repositories, at) => ({
        copies,
        drafter_user_id: drafter.userId,
        drafter_name: drafter.name,
        drafted_at: at,
        reviewer_user_id: reviewer!.userId,
        reviewer_name: reviewer!.name,
        reviewed_at: null,
        review_opinion: null,
        signer_user_id: null,
        signer_name: null,
        signed_at: null,
        sign_opinion: null,
        fingerprint: null,
      }),
      notify: () => ({ userId: reviewer!.userId, message: `已由${drafter.name}送您核稿` }),
      detail: (changes) => ({ reviewer: changes.reviewer_name, copies }),
    });
  }

  async function review(actor: Actor, roundId: number, input: ReviewInput): Promise<NoticeSignoffView> {
    const reviewer = assertCanReviewNotice(actor);
    const opinion = cleanText(input.opinion, 'opinion', SignoffLimits.opinion.max, '核稿意见');
    let signer: SignoffPerson | undefined;
    return transition(reviewer, roundId, input.version, {
      action: 'review',
      from: ['reviewing'],
      to: 'signing',
      check: async (row, repositories) => {
        assertAssignee(reviewer, row?.reviewer_user_id ?? null, row?.reviewer_name ?? null, '核稿');
        if (row?.drafter_user_id === reviewer.userId) throw conflict('reviewer_is_drafter', '核稿须由另一位办公室人员进行，拟稿人不能核自己的稿', {});
        signer = (await repositories.noticeSignoffs.listActiveAccounts('leader')).map(personOf).find((person) => person.userId === input.signerUserId);
        if (!signer) throw invalid('signer_invalid', '所选签发人不是在用的领导账号，请重新选择', { field: 'signerUserId', signerUserId: input.signerUserId });
      },
      changes: (_row, _repositories, at) => ({
        reviewed_at: at,
        review_opinion: opinion,
        signer_user_id: signer!.userId,
        signer_name: signer!.name,
        signed_at: null,
        sign_opinion: null,
      }),
      notify: () => ({ userId: signer!.userId, message: `已由${reviewer.name}核稿，请您签发` }),
    });
  }

  async function sign(actor: Actor, roundId: number, input: SignInput): Promise<NoticeSignoffView> {
    const signer = assertCanSignNotice(actor);
    const opinion = cleanText(input.opinion, 'opinion', SignoffLimits.opinion.max, '签发意见') ?? '同意';
    let noticeTitle: string | null = null;
    return transition(signer, roundId, input.version, {
      action: 'sign',
      from: ['signing'],
      to: 'signed',
      check: (row) => assertAssignee(signer, row?.signer_user_id ?? null, row?.signer_name ?? null, '签发'),
      changes: async (_row, repositories, at) => {
        const compiled = (await readRoundIn(repositories, roundId)).compiled;
        noticeTitle = compiled.notice.title;
        return { signed_at: at, sign_opinion: opinion, fingerprint: signedFingerprint(compiled) };
      },
      notify: (row) => ({ userId: row?.drafter_user_id ?? null, message: `已由${signer.name}签发` }),
      detail: (changes) => ({ fingerprint: changes.fingerprint }),
      // Signed and issued: every unit of the round is told by e-mail and robot (a re-sign after 撤回 is a new issue).
      deliver: async (repositories, round, occasion, at) => {
        const event = { kind: 'notice_issued' as const, roundId, roundLabel: round.label, noticeTitle: noticeTitle?.trim() || `${round.label}调度情况通报` };
        const units = await repositories.roundWork.listSubmissions(roundId);
        await deliverIn(
          repositories,
          deps.delivery ?? {},
          { occasion, roundId, to: units.map((unit) => ({ recipient: { unitId: unit.unit_id }, event })) },
          new Date(at),
        );
      },
    });
  }

  /** Back to the drafter, by whoever holds the notice (the reviewer, or the signer), with why. */
  async function returnToDrafter(actor: Actor, roundId: number, input: CommentInput): Promise<NoticeSignoffView> {
    const user = assertCanReturnNotice(actor);
    const comment = requiredComment(input.comment, '退回意见');
    return transition(user, roundId, input.version, {
      action: 'return',
      from: ['reviewing', 'signing'],
      to: 'drafting',
      comment,
      check: (row) => {
        if (row?.state === 'reviewing') assertAssignee(user, row.reviewer_user_id, row.reviewer_name, '退回（核稿）');
        else assertAssignee(user, row?.signer_user_id ?? null, row?.signer_name ?? null, '退回（签发）');
      },
      changes: () => ({ reviewed_at: null, signed_at: null, fingerprint: null }),
      notify: (row) => ({ userId: row?.drafter_user_id ?? null, message: `被${user.name}退回：${comment}` }),
    });
  }

  /** A signed notice back to 拟稿 (to correct it, or because its table changed after signing), by the office, with why. */
  async function reopen(actor: Actor, roundId: number, input: CommentInput): Promise<NoticeSignoffView> {
    const user = assertCanReopenNotice(actor);
    const comment = requiredComment(input.comment, '撤回原因');
    return transition(user, roundId, input.version, {
      action: 'reopen',
      from: ['signed'],
      to: 'drafting',
      comment,
      changes: () => ({ reviewed_at: null, signed_at: null, fingerprint: null }),
      notify: (row) => ({ userId: row?.signer_user_id ?? null, message: `的签发已由${user.name}撤回：${comment}` }),
    });
  }

  return { getSignoff, submit, review, sign, returnToDrafter, reopen };
}

export type NoticeSignoffService = ReturnType<typeof createNoticeSignoffService>;

const personOf = (account: { id: number; displayName: string }): SignoffPerson => ({ userId: account.id, name: account.displayName });

/** What the signed-in person may do now (the buttons the page shows; the service checks again). */
function actionsOf(actor: Actor, row: NoticeSignoffRow | undefined): SignoffAction[] {
  if (actor.kind !== 'user') return [];
  const state = row?.state ?? 'drafting';
  if (state === 'drafting') return actor.role === 'office' ? ['submit'] : [];
  if (state === 'reviewing') return actor.userId === row?.reviewer_user_id && actor.userId !== row.drafter_user_id ? ['review', 'return'] : [];
  if (state === 'signing') return actor.userId === row?.signer_user_id ? ['sign', 'return'] : [];
  if (state === 'signed') return actor.role === 'office' ? ['reopen'] : [];
  return [];
}

function assertAssignee(actor: UserActor, assigneeId: number | null, assigneeName: string | null, what: string): void {
  if (assigneeId !== actor.userId)
    throw forbidden('signoff_not_assignee', `本通报由${assigneeName ?? '他人'}${what}，您不能代为${what}`, { assignee: assigneeName });
}

function cleanText(value: string | null, field: string, max: number, label: string): string | null {
  if (value === null) return null;
  const text = stripControlCharacters(value).replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  if (text.length > max) throw invalid('field_too_long', `${label}不能超过 ${max} 字`, { field, max });
  return text;
}

function requiredComment(value: string, label: string): string {
  const text = cleanText(value, 'comment', SignoffLimits.comment.max, label);
  if (text === null) throw invalid('comment_required', `请填写${label}`, { field: 'comment' });
  return text;
}
