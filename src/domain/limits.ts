/** Field limits and enumerations shared by importers, API schemas and web forms. */
export const TaskLimits = {
  text: { max: 5_000 },
  /** A due date kept as written (`2018年6月底前，长期坚持`). */
  due: { max: 200 },
} as const;

export const ProgressLimits = {
  text: { max: 20_000 },
} as const;

export const NameLimits = {
  unit: { max: 64 },
  leader: { max: 32 },
  department: { max: 64 },
  title: { max: 500 },
} as const;

export const ImportLimits = {
  /** A plan document larger than this is refused before it is read. */
  fileBytes: 50 * 1024 * 1024,
} as const;

/** A leader's instruction (批示) on a task. */
export const InstructionLimits = {
  text: { max: 2_000 },
  /** A unit's 落实反馈 on an instruction. */
  feedback: { max: 2_000 },
} as const;

/** 请说明 (issue 15): the office's request for an explanation, and the unit's reply. */
export const ExplanationLimits = {
  message: { max: 500 },
  reply: { max: 2_000 },
  /** How many of a unit's requests its list shows, newest first. */
  list: { max: 200 },
} as const;

/** Full-text search: the query as typed, and how many hits one answer carries. */
export const SearchLimits = {
  q: { max: 100 },
  /** Whitespace-separated terms; every one must occur in the text. */
  terms: { max: 8 },
  hits: { max: 200 },
} as const;

/** Answer statuses of a progress entry (未启动 / 按期推进 / 已完成 / 滞后 / 暂缓). */
export const PROGRESS_STATUSES = ['not_started', 'on_track', 'completed', 'delayed', 'suspended'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const PROGRESS_STATUS_LABELS: Record<ProgressStatus, string> = {
  not_started: '未启动',
  on_track: '按期推进',
  completed: '已完成',
  delayed: '滞后',
  suspended: '暂缓',
};

export const UNIT_ROLES = ['lead', 'co'] as const;

export const RoundLimits = {
  label: { max: 64 },
  note: { max: 2_000 },
  /** The office's comment when it returns a unit's answers. */
  returnComment: { max: 2_000 },
  reminder: { max: 500 },
  /** Days before the deadline when a unit that has not submitted turns yellow. */
  warnDays: { default: 3 },
} as const;

export const AnswerLimits = {
  text: ProgressLimits.text,
  /** Why an answer is 滞后 or 暂缓: required for those statuses. */
  reason: { max: 1_000 },
} as const;

/**
 * Evidence files (佐证材料) attached to an answer: PDF, PNG/JPEG images, Word (.docx) and Excel
 * (.xlsx), told apart by content. Stored in the database (so backups carry them).
 */
export const AttachmentLimits = {
  /** One file; larger uploads are refused with 413 before they are read whole. */
  fileBytes: 20 * 1024 * 1024,
  /** Files on one answer. */
  perAnswer: 20,
  /** The names the browser offers to pick; the server goes by content and checks the name agrees. */
  extensions: ['.pdf', '.png', '.jpg', '.jpeg', '.docx', '.xlsx'],
} as const;

/** Statuses that need a reason before the unit can submit. */
export const STATUSES_NEEDING_REASON: readonly ProgressStatus[] = ['delayed', 'suspended'];

export const SUBMISSION_STATE_LABELS = {
  not_started: '未填报',
  draft: '填报中',
  submitted: '已提交',
  approved: '处室已审核',
  returned: '已退回',
  accepted: '已采纳',
} as const;

/** Who holds a submission now (SubmissionView.holder), as the review list and the board name it. */
export const SUBMISSION_HOLDER_LABELS = {
  reporter: '填报人',
  head: '处室负责人',
  office: '办公室',
  done: '已办结',
} as const;

/** The review of one answer (TodoView item.review.state), null: not reviewed yet. */
export const ANSWER_REVIEW_LABELS = {
  returned: '已退回',
  approved: '处室已审核',
  accepted: '已采纳',
} as const;

/** The notice (通报) of a round: each text field's maximum, and how many body paragraphs and 抄送 lines. */
export const NoticeLimits = {
  issuingOffice: { max: 64 },
  /** `某环办发〔2017〕102号`: the whole number; its prefix alone has its own limit. */
  docNumber: { max: 64 },
  docPrefix: { max: 32 },
  title: { max: 500 },
  recipients: { max: 500 },
  body: { paragraphs: 30, max: 5_000 },
  attachment: { max: 500 },
  issuer: { max: 64 },
  contactUnit: { max: 64 },
  contactName: { max: 32 },
  contactPhone: { max: 32 },
  cc: { count: 30, max: 200 },
  printedBy: { max: 64 },
} as const;

/** The sign-off of a notice (拟稿 → 核稿 → 签发, decision 025): a return's comment, an opinion, the 印数. */
export const SignoffLimits = {
  comment: { max: 500 },
  opinion: { max: 200 },
  copies: { min: 1, max: 9_999 },
} as const;

/** 全省汇总 (decision 030): how many organisations' stores the roll-up reads at once. */
export const ProvinceLimits = {
  concurrentOrganisations: 4,
} as const;

/** Plan editing (issue 14): every change names its reason; titles as imported. */
export const PlanEditLimits = {
  reason: { max: 500 },
  title: NameLimits.title,
  docNumber: { max: 64 },
  chapterTitle: { max: 200 },
  /** Leaders and units one task can name. */
  names: { max: 50 },
} as const;

/** The office's decisions on proposed indicators and actuals (issue 15): what a corrected one may hold. */
export const InsightLimits = {
  /** An indicator's key, as the engine gives it. */
  key: { max: 100 },
  name: { max: 100 },
  /** "%", "个", "万吨" … */
  unit: { max: 20 },
  /** The quoted span of an actual the office corrects. */
  quote: { max: 2_000 },
  /** Years a target or an actual may name. */
  year: { min: 1949, max: 2100 },
} as const;
