/**
 * The sign-off of a round's notice (拟稿 → 核稿 → 签发): GET /api/rounds/:roundId/notice/signoff
 * and the answer of every step (docs/decisions/025).
 */

/** Where a notice is. `issued`: an imported round's notice, issued by its document (counts as signed). */
export const SIGNOFF_STATES = ['drafting', 'reviewing', 'signing', 'signed', 'issued'] as const;
export type SignoffState = (typeof SIGNOFF_STATES)[number];

export const SIGNOFF_STATE_LABELS: Record<SignoffState, string> = {
  drafting: '拟稿',
  reviewing: '核稿中',
  signing: '待签发',
  signed: '已签发',
  issued: '已印发',
};

/** The steps: 送核稿, 核稿通过送签发, 签发, 退回 (with a comment), 重新打开 a signed notice. */
export const SIGNOFF_ACTIONS = ['submit', 'review', 'sign', 'return', 'reopen'] as const;
export type SignoffAction = (typeof SIGNOFF_ACTIONS)[number];

export const SIGNOFF_ACTION_LABELS: Record<SignoffAction, string> = {
  submit: '送核稿',
  review: '核稿通过，送签发',
  sign: '签发',
  return: '退回拟稿',
  reopen: '撤回签发，重新拟稿',
};

/** One person's part: who (display name) and when (null while it waits for them). */
export type SignoffStep = { name: string; at: string | null; opinion: string | null };

export type SignoffEventView = {
  action: SignoffAction;
  actionLabel: string;
  /** Display name (张敏). */
  actor: string;
  at: string;
  comment: string | null;
  fromState: SignoffState;
  toState: SignoffState;
};

export type SignoffPerson = { userId: number; name: string };

export type NoticeSignoffView = {
  roundId: number;
  state: SignoffState;
  stateLabel: string;
  /** Counts transitions; each step sends the version it was taken on (0 before the first). */
  version: number;
  /** Signed and still covering the notice and table as they are now, or issued by an imported document. */
  isSigned: boolean;
  /** Signed, but the notice or table changed since: the signature no longer covers it (re-open and sign again). */
  stale: boolean;
  /** 印数 of the 发文稿纸, set by the drafter when sending for review. */
  copies: number | null;
  drafter: SignoffStep | null;
  reviewer: SignoffStep | null;
  signer: SignoffStep | null;
  /** The last return, while the notice is back with the drafter. */
  lastReturn: { by: string; at: string; comment: string } | null;
  history: SignoffEventView[];
  /** What the signed-in person may do now. */
  actions: SignoffAction[];
  /** Office accounts the caller may send the notice to for 核稿 (never the caller). */
  reviewers: SignoffPerson[];
  /** Leaders the reviewer may send it to for 签发. */
  signers: SignoffPerson[];
  /** Whether the notice text may be saved now. */
  editable: boolean;
};
