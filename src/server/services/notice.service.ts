import { actorLabel, type Actor } from '../../domain/actor.ts';
import type { DocNumberSuggestion, NoticeConflictDetails, NoticeSaveView, NoticeView } from '../../domain/api/notice-view.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { NoticeLimits } from '../../domain/limits.ts';
import {
  expandPlaceholders,
  formatDocNumber,
  isCalendarDate,
  noticeFieldsSchema,
  parseDocNumber,
  readDocNumber,
  type DocNumberParts,
  type NoticeFields,
  type PlaceholderValues,
} from '../../domain/notice.ts';
import { checkStatisticsParagraphs, isStatisticsParagraph } from '../../domain/notice-statistics.ts';
import { usualDocPrefix, type OrganisationProfile } from '../../domain/organisation-profile.ts';
import { periodOfRoundLabel, type Notice } from '../../domain/plan-document.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import { isUniqueViolation, type Database } from '../db/database.ts';
import { noticeColumns, noticeOfRow } from '../db/repositories/notice.repository.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanManageRounds, assertCanReadBoard } from '../policies/round.policy.ts';
import { presentNotice } from '../presenters/notice.presenter.ts';
import { defaultNotice } from './compile-round.service.ts';
import { noticeStatisticsIn } from './notice-statistics.service.ts';
import { assertNoticeEditableIn } from './notice-signoff.service.ts';
import { displayNameOf } from './people.ts';
import { audit, requireRound } from './round.service.ts';

export { parseDocNumber, type DocNumberParts };

/** A save: the whole notice, and the version it was edited from (0 before the first save; null = unknown, refused). */
export type NoticeSaveInput = { notice: NoticeFields; version: number | null };

/**
 * The round that already carries `docNumber` (compared in its normal form, so `0102` is `102`),
 * other than `exceptRoundId`. Used by saves here and by imports, so neither gives one number to
 * two rounds; the partial unique index of migration 008 backs both against races.
 */
export async function roundUsingDocNumber(
  repositories: Repositories,
  docNumber: string,
  exceptRoundId: number | null,
): Promise<{ roundId: number; roundLabel: string } | null> {
  const key = canonicalDocNumber(docNumber);
  for (const stored of await repositories.notices.listDocNumbers())
    if (stored.roundId !== exceptRoundId && canonicalDocNumber(stored.docNumber) === key) return { roundId: stored.roundId, roundLabel: stored.roundLabel };
  return null;
}

/** `doc_number_taken`, naming the round that has the number. */
export function docNumberTaken(docNumber: string, owner: { roundId: number; roundLabel: string }) {
  return conflict('doc_number_taken', `文号“${docNumber}”已用于调度“${owner.roundLabel}”的通报，请换一个文号`, {
    field: 'docNumber',
    docNumber,
    roundId: owner.roundId,
    roundLabel: owner.roundLabel,
  });
}

function canonicalDocNumber(text: string): string {
  const parts = parseDocNumber(text);
  return parts ? formatDocNumber(parts.prefix, parts.year, parts.number) : text.trim();
}

/**
 * The notice (通报) of a round: read (office and leaders), suggested document numbers and saves
 * (the office). A save carries the version it was edited from: a stale one is refused with 409
 * `version_conflict` carrying the stored notice, so no one's text is silently overwritten.
 * Placeholders (`{轮次}` …) are expanded when saving: what is stored is what is issued, and every
 * writer, export and import sees the same text (docs/decisions/014-notice-editing.md).
 */
export function createNoticeService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  /** The next number for a prefix and year: the largest stored one plus one (1 when the year has none). */
  async function nextNumber(repositories: Repositories, prefix: string, year: number): Promise<DocNumberSuggestion> {
    let largest = 0;
    for (const stored of await repositories.notices.listDocNumbers()) {
      const parts = parseDocNumber(stored.docNumber);
      if (parts && parts.prefix === prefix && parts.year === year) largest = Math.max(largest, parts.number);
    }
    const number = largest + 1;
    // No prefix known (no profile, no number stored): the office types one; nothing to suggest.
    return { prefix, year, number, docNumber: prefix === '' ? '' : formatDocNumber(prefix, year, number) };
  }

  async function profileOf(repositories: Repositories): Promise<OrganisationProfile | null> {
    return (await repositories.organisationProfile.findProfile())?.profile ?? null;
  }

  async function suggestNextNumber(actor: Actor, roundId: number, year: number, prefix?: string): Promise<DocNumberSuggestion> {
    assertCanManageRounds(actor, '建议通报文号');
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('notice_year_invalid', `文号年份应为 2000–2100 之间的整数`, { year });
    return inReadTransaction(database, async (repositories) => {
      await requireRound(repositories, roundId);
      const cleanPrefix = stripControlCharacters(prefix ?? usualDocPrefix(await profileOf(repositories))).trim();
      if (cleanPrefix === '' || cleanPrefix.length > NoticeLimits.docPrefix.max || /[〔〕[\]（）()]/.test(cleanPrefix))
        throw invalid('notice_prefix_invalid', `发文机关代字应为 1–${NoticeLimits.docPrefix.max} 个字，不含括号`, { prefix: prefix ?? '' });
      return nextNumber(repositories, cleanPrefix, year);
    });
  }

  /** The round, its plan's title and number (the placeholders' values) and the default notice. */
  async function contextOf(repositories: Repositories, roundId: number) {
    const round = await requireRound(repositories, roundId);
    const plan = await repositories.plans.findPlanById(round.plan_id);
    if (!plan) throw notFound('plan_not_found', `调度轮次 ${roundId} 的分工方案不存在`, { roundId });
    const placeholders: PlaceholderValues = { '{轮次}': round.label, '{方案文号}': plan.doc_number, '{方案标题}': plan.title };
    const profile = await profileOf(repositories);
    const fallback = defaultNotice(
      {
        plan: { title: plan.title, docNumber: plan.doc_number },
        round: { label: round.label, periodStart: round.period_start, periodEnd: round.period_end },
      },
      profile,
    );
    return { round, plan, placeholders, fallback, profile };
  }

  /** The view of what is stored now, with a suggestion in the stored number's series (or the profile's usual prefix, or the plan's), this year. */
  async function viewOf(repositories: Repositories, roundId: number): Promise<NoticeView> {
    const { round, plan, placeholders, fallback, profile } = await contextOf(repositories, roundId);
    const stored = await repositories.notices.findNoticeOfRound(roundId);
    const current = stored ? noticeOfRow(stored) : fallback;
    // The notice's own number's series, else the office's usual prefix (the profile), else the plan's number's.
    const series =
      (current.docNumber ? parseDocNumber(current.docNumber) : null) ??
      (usualDocPrefix(profile) ? { prefix: usualDocPrefix(profile) } : null) ??
      (plan.doc_number ? parseDocNumber(plan.doc_number) : null);
    // The year the notice is dated, else the round's period (a Q3 2017 round is numbered in 2017), else this year.
    const periodEnd = round.period_end ?? periodOfRoundLabel(round.label)?.end ?? null;
    const year = Number((current.date ?? periodEnd)?.slice(0, 4) ?? now().getFullYear());
    const suggestedDocNumber = await nextNumber(repositories, series?.prefix ?? '', year);
    const updatedBy = stored?.updated_by ? await displayNameOf(repositories, stored.updated_by) : null;
    const statisticsWarnings = await statisticsWarningsOf(repositories, roundId, current.body);
    return presentNotice(stored, fallback, { round, suggestedDocNumber, placeholders, updatedBy, statisticsWarnings, profileMissing: profile === null });
  }

  async function getNotice(actor: Actor, roundId: number): Promise<NoticeView> {
    assertCanReadBoard(actor, '查看通报');
    return inReadTransaction(database, (repositories) => viewOf(repositories, roundId));
  }

  async function saveNotice(actor: Actor, roundId: number, input: NoticeSaveInput): Promise<NoticeSaveView> {
    const writer = assertCanManageRounds(actor, '编辑通报');
    const { notice: cleaned, notes } = cleanNotice(input.notice);
    const yours = cleaned;
    const at = now().toISOString();
    const stale = async (repositories: Repositories) => {
      const current = await viewOf(repositories, roundId);
      const details: NoticeConflictDetails = { current, yours };
      return conflict(
        'version_conflict',
        input.version === null
          ? '保存请求缺少版本号，未保存；请对照服务器上的版本后重新保存'
          : `通报已被 ${current.updatedBy ?? '他人'} 修改（现为第 ${current.version} 版），您的修改未保存，也未覆盖对方的修改`,
        details as unknown as Record<string, unknown>,
      );
    };

    try {
      return await inTransaction(database, async (repositories) => {
        const { placeholders } = await contextOf(repositories, roundId);
        const expanded = expandNotice(cleaned, placeholders, notes);
        checkLimits(expanded);
        const stored = await repositories.notices.findNoticeOfRound(roundId);
        const storedVersion = stored ? Number(stored.version) : 0;
        await assertNoticeEditableIn(repositories, roundId);
        if (input.version === null || input.version !== storedVersion) throw await stale(repositories);
        if (expanded.docNumber) {
          const owner = await roundUsingDocNumber(repositories, expanded.docNumber, roundId);
          if (owner) throw docNumberTaken(expanded.docNumber, owner);
        }

        const by = actorLabel(writer);
        const columns = noticeColumns(expanded);
        if (stored) {
          if ((await repositories.notices.updateNoticeAtVersion(roundId, storedVersion, columns, by, at)) === 0) throw await stale(repositories);
        } else {
          await repositories.notices.insertNotice(roundId, columns, { by, at });
        }
        const before = stored ? noticeOfRow(stored) : null;
        await audit(repositories, actor, at, {
          action: 'notice.update',
          objectType: 'notice',
          objectId: roundId,
          detail: { version: storedVersion + 1, docNumber: expanded.docNumber, changed: changedFields(before, expanded) },
        });
        return { ...(await viewOf(repositories, roundId)), notes };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Two saves raced: the first save of this round (unique round_id), or the same number
      // given to another round at the same moment (the partial unique index on doc_number).
      return inReadTransaction(database, async (repositories) => {
        const stored = await repositories.notices.findNoticeOfRound(roundId);
        if (stored && Number(stored.version) !== input.version) throw await stale(repositories);
        const docNumber = readDocNumber(cleaned.docNumber ?? '');
        const owner = docNumber.ok ? await roundUsingDocNumber(repositories, docNumber.docNumber, roundId) : null;
        if (owner && docNumber.ok) throw docNumberTaken(docNumber.docNumber, owner);
        throw error;
      });
    }
  }

  return { getNotice, saveNotice, suggestNextNumber };
}

export type NoticeService = ReturnType<typeof createNoticeService>;

/** The body's statistics paragraph checked against the round now (its figures read only when there is one). */
async function statisticsWarningsOf(repositories: Repositories, roundId: number, body: readonly string[]): Promise<string[]> {
  if (!body.some(isStatisticsParagraph)) return [];
  const statistics = await noticeStatisticsIn(repositories, roundId);
  return statistics === null ? [] : checkStatisticsParagraphs(body, statistics);
}

/** One line: control characters out, line breaks joined, trimmed (U+3000 too); empty → null. */
function singleLine(value: string | null): string | null {
  if (value === null) return null;
  return (
    stripControlCharacters(value)
      .replace(/\s*[\r\n]+\s*/g, '')
      .trim() || null
  );
}

/**
 * The notice as typed, cleaned: control characters (Word pastes) stripped, text trimmed, empty
 * fields null, a paragraph with line breaks split into paragraphs, empty paragraphs and 抄送
 * lines dropped. The document number and dates are checked here, naming the field.
 */
function cleanNotice(fields: NoticeFields): { notice: Notice; notes: string[] } {
  const notes: string[] = [];
  const paragraphs = fields.body.map((paragraph) => stripControlCharacters(paragraph).split(/\r\n?|\n/));
  const body = paragraphs
    .flat()
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (paragraphs.some((lines) => lines.filter((line) => line.trim() !== '').length > 1)) notes.push('正文中的换行已分为单独的段落');

  let docNumber = singleLine(fields.docNumber);
  if (docNumber !== null) {
    const reading = readDocNumber(docNumber);
    if (!reading.ok) {
      const why = {
        form: '应为“机关代字〔年份〕序号号”，如“某环办发〔2017〕102号”',
        year: '年份应在 2000–2100 之间',
        number: '序号应为正整数',
        prefix: `机关代字应为 1–${NoticeLimits.docPrefix.max} 个字`,
      }[reading.reason];
      throw invalid('doc_number_invalid', `文号“${docNumber}”格式不正确：${why}`, { field: 'docNumber', docNumber, reason: reading.reason });
    }
    docNumber = reading.docNumber;
    notes.push(...reading.notes);
  }

  // The layout writes 附件： before the attachment line (as the seed's reader takes it off): typed, it would print twice.
  let attachment = singleLine(fields.attachment);
  if (attachment !== null && /^附件\s*[:：]/.test(attachment)) {
    attachment = attachment.replace(/^附件\s*[:：]\s*/, '') || null;
    notes.push('附件说明前的“附件：”由版式自动加上，已从文字中去掉');
  }

  const date = (field: string, value: string | null): string | null => {
    const text = singleLine(value);
    if (text !== null && !isCalendarDate(text))
      throw invalid('date_invalid', `${field === 'date' ? '成文日期' : '印发日期'}“${text}”不是有效日期，应为 YYYY-MM-DD`, { field, value: text });
    return text;
  };

  return {
    notes,
    notice: {
      issuingOffice: singleLine(fields.issuingOffice),
      docNumber,
      title: singleLine(fields.title),
      recipients: singleLine(fields.recipients),
      body,
      attachment,
      issuer: singleLine(fields.issuer),
      date: date('date', fields.date),
      contact: { unit: singleLine(fields.contact.unit), name: singleLine(fields.contact.name), phone: singleLine(fields.contact.phone) },
      cc: fields.cc.map(singleLine).filter((line): line is string => line !== null),
      printed: { by: singleLine(fields.printed.by), date: date('printed.date', fields.printed.date) },
    },
  };
}

/** Every text field with `{轮次}`, `{方案文号}`, `{方案标题}` replaced; unknown or valueless ones refused. */
function expandNotice(notice: Notice, values: PlaceholderValues, notes: string[]): Notice {
  const used = new Set<string>();
  const expand = (field: string, value: string | null): string | null => {
    if (value === null) return null;
    const result = expandPlaceholders(value, values);
    if (result.unknown.length > 0)
      throw invalid('notice_placeholder_unknown', `未知占位符 ${result.unknown.join('、')}（位于 ${field}），可用：{轮次}、{方案文号}、{方案标题}`, {
        field,
        placeholders: result.unknown,
      });
    if (result.empty.length > 0)
      throw invalid('notice_placeholder_empty', `占位符 ${result.empty.join('、')}（位于 ${field}）在本轮没有内容（分工方案未登记文号），请直接填写`, {
        field,
        placeholders: result.empty,
      });
    for (const token of Object.keys(values)) if (value.includes(token)) used.add(token);
    return result.text;
  };
  const expanded: Notice = {
    issuingOffice: expand('issuingOffice', notice.issuingOffice),
    docNumber: notice.docNumber,
    title: expand('title', notice.title),
    recipients: expand('recipients', notice.recipients),
    body: notice.body.map((paragraph, index) => expand(`body.${index}`, paragraph)!),
    attachment: expand('attachment', notice.attachment),
    issuer: expand('issuer', notice.issuer),
    date: notice.date,
    contact: {
      unit: expand('contact.unit', notice.contact.unit),
      name: expand('contact.name', notice.contact.name),
      phone: expand('contact.phone', notice.contact.phone),
    },
    cc: notice.cc.map((line, index) => expand(`cc.${index}`, line)!),
    printed: { by: expand('printed.by', notice.printed.by), date: notice.printed.date },
  };
  for (const token of used) notes.push(`占位符 ${token} 已替换为“${values[token as keyof PlaceholderValues]}”`);
  return expanded;
}

/** The limits again after cleaning and expansion (a placeholder can make a field longer). */
function checkLimits(notice: Notice): void {
  const parsed = noticeFieldsSchema.safeParse(notice);
  if (parsed.success) return;
  const issues = parsed.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
    max: (issue as { maximum?: unknown }).maximum ?? null,
  }));
  const fields = [...new Set(issues.map((issue) => issue.field))].join('、');
  throw invalid('field_too_long', `内容超过长度上限：${fields}，请删减后再保存`, {
    field: issues[0]!.field,
    issues: issues.map(({ field, message }) => ({ field, message })),
    limits: issues.map(({ field, max }) => ({ field, max })),
  });
}

/** The top-level fields a save changed, for the audit row (the texts themselves stay in the table). */
function changedFields(before: Notice | null, after: Notice): string[] {
  return (Object.keys(after) as (keyof Notice)[]).filter((key) => before === null || JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
