import { DEFAULT_TIME_ZONE, formatDateTimeZh } from '../../domain/dates.ts';
import type { DeliveryMessage } from './channel.ts';

/**
 * What diaodu says outside the app (issue 16): one short Chinese subject and body per event, naming
 * the round and the unit (or the task), with a link back into diaodu when DIAODU_PUBLIC_URL is set.
 * Pure: the outbox calls these when it writes a message, in the transaction of the change.
 */

export type DeliveryEvent =
  /** A round opened; sent to each unit in it. */
  | { kind: 'round_opened'; roundId: number; roundLabel: string; unitName: string; deadline: string | null }
  /**
   * A step of the deadline ladder: `daysLeft` > 0 before the deadline, 0 on the day, < 0 overdue
   * (by that many days).
   */
  | { kind: 'deadline'; roundId: number; roundLabel: string; unitName: string; deadline: string; daysLeft: number }
  /** 催办 from the office, with the office's own words. */
  | { kind: 'reminder'; roundId: number; roundLabel: string; unitName: string; text: string }
  /** The office returned the unit's answer (or one task's answer), with its reason when given. */
  | { kind: 'returned'; roundId: number; roundLabel: string; unitName: string; taskTitle?: string | null; reason: string | null }
  | { kind: 'accepted'; roundId: number; roundLabel: string; unitName: string }
  /** A reporter submitted; the unit's head approves before it reaches the office. */
  | { kind: 'awaiting_approval'; roundId: number; roundLabel: string; unitName: string; submittedBy: string }
  /** A leader's 批示 on a task, to the task's units. */
  | { kind: 'instruction'; taskId: number; taskTitle: string; leaderName: string; text: string }
  /** The round's notice was signed and issued; to all units. */
  | { kind: 'notice_issued'; roundId: number; roundLabel: string; noticeTitle: string };

export type DeliveryEventKind = DeliveryEvent['kind'];

export interface MessageOptions {
  /** DIAODU_PUBLIC_URL (no trailing slash needed), or null: the message then carries no link. */
  publicUrl: string | null;
  /** The department's time zone, for the deadlines shown. */
  timeZone?: string;
}

/** Longest piece of free text (the office's 催办 words, a 批示, a return reason) quoted in a message. */
export const QUOTE_MAX_CHARS = 500;

/** `https://diaodu.example.gov.cn` + `/todo/3`; null when no public URL is configured. */
export function linkTo(publicUrl: string | null, path: string): string | null {
  if (publicUrl === null || publicUrl.trim() === '') return null;
  return `${publicUrl.trim().replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** The path in the web app each event points to. */
export function pathOf(event: DeliveryEvent): string {
  switch (event.kind) {
    case 'instruction':
      return `/tasks/${event.taskId}`;
    case 'notice_issued':
      return '/notifications';
    default:
      return `/todo/${event.roundId}`;
  }
}

export function composeMessage(event: DeliveryEvent, options: MessageOptions): DeliveryMessage {
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const link = linkTo(options.publicUrl, pathOf(event));
  const { subject, body } = words(event, zone);
  return { subject: oneLine(subject), body, link };
}

function words(event: DeliveryEvent, zone: string): { subject: string; body: string } {
  switch (event.kind) {
    case 'round_opened': {
      const by = event.deadline ? `请于 ${formatDateTimeZh(event.deadline, zone)} 前填报并提交。` : '请及时填报并提交。';
      return { subject: `【新调度】${event.roundLabel}`, body: `${event.unitName}：“${event.roundLabel}”已开始，${by}` };
    }
    case 'deadline': {
      const at = formatDateTimeZh(event.deadline, zone);
      if (event.daysLeft > 0)
        return {
          subject: `【提醒】${event.roundLabel}还有 ${event.daysLeft} 天截止`,
          body: `${event.unitName}：“${event.roundLabel}”将于 ${at} 截止，还有 ${event.daysLeft} 天，请尽快填报并提交。`,
        };
      if (event.daysLeft === 0)
        return { subject: `【提醒】${event.roundLabel}今天截止`, body: `${event.unitName}：“${event.roundLabel}”今天截止（${at}），请尽快填报并提交。` };
      return {
        subject: `【逾期】${event.roundLabel}已逾期 ${-event.daysLeft} 天`,
        body: `${event.unitName}：“${event.roundLabel}”已于 ${at} 截止，贵单位尚未提交，已逾期 ${-event.daysLeft} 天，请立即填报并提交。`,
      };
    }
    case 'reminder':
      return { subject: `【催办】${event.roundLabel}`, body: `${event.unitName}：${quote(event.text)}` };
    case 'returned': {
      const what = event.taskTitle ? `“${event.roundLabel}”中“${event.taskTitle}”的填报` : `“${event.roundLabel}”的填报`;
      const why = event.reason && event.reason.trim() !== '' ? `退回意见：${quote(event.reason)}` : '';
      return { subject: `【退回】${event.roundLabel}`, body: `${event.unitName}：${what}已被办公室退回，请修改后重新提交。${why}` };
    }
    case 'accepted':
      return { subject: `【已采纳】${event.roundLabel}`, body: `${event.unitName}：“${event.roundLabel}”的填报已被办公室采纳。` };
    case 'awaiting_approval':
      return {
        subject: `【待审核】${event.roundLabel}`,
        body: `${event.unitName}：${event.submittedBy}已提交“${event.roundLabel}”的填报，等待处室负责人审核后报送办公室。`,
      };
    case 'instruction':
      return { subject: `【领导批示】${event.taskTitle}`, body: `${event.leaderName}对“${event.taskTitle}”作出批示：${quote(event.text)}` };
    case 'notice_issued':
      return { subject: `【通报】${event.noticeTitle}`, body: `“${event.roundLabel}”的调度通报《${event.noticeTitle}》已签发，请查阅。` };
  }
}

/** Free text quoted in a message: trimmed, and cut (with …) so a long 批示 does not swamp a robot message. */
function quote(text: string): string {
  const trimmed = text.trim();
  const chars = Array.from(trimmed);
  return chars.length > QUOTE_MAX_CHARS ? `${chars.slice(0, QUOTE_MAX_CHARS).join('')}…` : trimmed;
}

/** A subject is one line: a line break in a round label or task title must not split the e-mail header. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
