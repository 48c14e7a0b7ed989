import type { Notice } from '../../domain/plan-document.ts';
import { cleanCellText, squeezeCjkSpaces } from '../../domain/text.ts';

export interface SourceLine {
  text: string;
  line: number;
}

const DOC_NUMBER = /^[\u4e00-\u9fff]{1,12}[〔[［(（]\d{4}[〕\]］)）]\d+号$/;
const DATE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/;
const TERMINAL = /[。！？；：”」』）)]$/;

const at = (line: number, message: string) => `第${line}行：${message}`;

/** `2017年7月31日` → `2017-07-31`. */
export function parseChineseDate(text: string): string | null {
  const match = DATE.exec(squeezeCjkSpaces(text));
  if (!match) return null;
  const [, year, month, day] = match;
  return `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
}

/**
 * Reads the notice (通报) around the table: the lines before it (issuing office, document number,
 * title, recipients, body, attachment line, issuer, date, contact) and after it (抄送, 印发).
 * Missing parts stay null with a warning; the table can be imported without a notice.
 */
export function parseNotice(front: SourceLine[], back: SourceLine[], warnings: string[]): Notice | null {
  const lines = front.map((l) => ({ ...l, text: cleanCellText(l.text) })).filter((l) => l.text !== '');
  const tail = back.map((l) => ({ ...l, text: cleanCellText(l.text) })).filter((l) => l.text !== '');
  if (lines.length === 0 && tail.length === 0) {
    warnings.push('文件中没有通报正文，只导入了调度表');
    return null;
  }
  const take = (predicate: (text: string) => boolean) => {
    const index = lines.findIndex((l) => predicate(l.text));
    return index === -1 ? null : { ...lines[index]!, index };
  };

  const office = take((t) => /文件$/.test(squeezeCjkSpaces(t)));
  const docNumber = take((t) => DOC_NUMBER.test(squeezeCjkSpaces(t)));
  const title = take((t) => /(通报|通知|报告)$/.test(squeezeCjkSpaces(t)) && /关于/.test(t));
  const recipients = take((t) => /[：:]$/.test(t) && !/^(附件|联系|抄送)/.test(t));
  const attachment = take((t) => /^附件[：:]/.test(t));
  const dateLine = take((t) => DATE.test(squeezeCjkSpaces(t)) && squeezeCjkSpaces(t).length <= 12);
  const contact = take((t) => /联系人/.test(t));
  const phone = take((t) => /联系电话/.test(t));

  const bodyFrom = (recipients ?? title ?? docNumber ?? office)?.index ?? -1;
  const bodyTo = attachment?.index ?? dateLine?.index ?? lines.length;
  const body = joinBrokenParagraphs(lines.slice(bodyFrom + 1, bodyTo).map((l) => l.text));

  const issuerIndex = (dateLine?.index ?? 0) - 1;
  const issuer = issuerIndex > (attachment?.index ?? bodyTo - 1) ? lines[issuerIndex]!.text : null;

  let contactUnit: string | null = null;
  let contactName: string | null = null;
  if (contact) {
    // The seed breaks the contact and the phone onto two lines; Word keeps them on one: the name ends where 联系电话 begins.
    const value = contact.text
      .replace(/^[（(]?\s*联系人\s*[：:]\s*/, '')
      .replace(/[）)]$/, '')
      .replace(/\s*联系电话.*$/, '')
      .trim();
    const parts = value.split(/\s+/);
    contactName = parts.length > 1 ? parts.pop()! : value || null;
    contactUnit = parts.length > 0 && value !== contactName ? squeezeCjkSpaces(parts.join(' ')) : null;
  }
  const phoneNumber = phone ? (/[\d-－—\s]{7,}/.exec(phone.text)?.[0].replace(/\s/g, '') ?? null) : null;

  const ccLine = tail.find((l) => /^抄送[：:]/.test(l.text));
  const printedIndex = tail.findIndex((l) => /印发$/.test(squeezeCjkSpaces(l.text)));
  const printedLine = printedIndex === -1 ? null : tail[printedIndex]!;
  const printedBy = printedIndex > 0 && tail[printedIndex - 1] !== ccLine ? tail[printedIndex - 1]!.text : null;

  const notice: Notice = {
    issuingOffice: office ? squeezeCjkSpaces(office.text).replace(/文件$/, '') : null,
    docNumber: docNumber ? squeezeCjkSpaces(docNumber.text) : null,
    title: title ? squeezeCjkSpaces(title.text) : null,
    recipients: recipients ? recipients.text.replace(/[：:]$/, '') : null,
    body,
    attachment: attachment ? attachment.text.replace(/^附件[：:]\s*/, '') : null,
    issuer: issuer ? squeezeCjkSpaces(issuer) : null,
    date: dateLine ? parseChineseDate(dateLine.text) : null,
    contact: { unit: contactUnit, name: contactName, phone: phoneNumber },
    cc: ccLine
      ? ccLine.text
          .replace(/^抄送[：:]\s*/, '')
          .replace(/[。.]$/, '')
          .split(/[，、,；;]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
    printed: { by: printedBy ? squeezeCjkSpaces(printedBy) : null, date: printedLine ? parseChineseDate(printedLine.text) : null },
  };

  const missing: [unknown, string][] = [
    [notice.issuingOffice, '发文机关标志（…文件）'],
    [notice.docNumber, '发文字号'],
    [notice.title, '标题'],
    [notice.date, '成文日期'],
  ];
  for (const [value, what] of missing) if (value === null) warnings.push(`通报缺少${what}`);
  const firstLine = lines[0]?.line ?? 1;
  if (notice.body.length === 0) warnings.push(at(firstLine, '通报没有正文'));
  return notice;
}

/** Extraction breaks a paragraph at the page's end (`…工作推进` / `情况进行通报`): a line that does not end a sentence goes on. */
function joinBrokenParagraphs(lines: string[]): string[] {
  const paragraphs: string[] = [];
  for (const line of lines) {
    const last = paragraphs.at(-1);
    if (last !== undefined && !TERMINAL.test(last)) paragraphs[paragraphs.length - 1] = last + line;
    else paragraphs.push(line);
  }
  return paragraphs;
}

/**
 * The line above the table names the plan and the round:
 * `《…厅内分工方案》 2017 年第二季度工作推进情况调度表` → plan title and `2017年第二季度`.
 */
export function parseTableTitle(title: SourceLine | null, notice: Notice | null, warnings: string[]): { planTitle: string; roundLabel: string } {
  const candidates = [title?.text, notice?.attachment, notice?.title].filter((t): t is string => Boolean(t));
  for (const text of candidates) {
    const squeezed = squeezeCjkSpaces(text);
    const open = squeezed.indexOf('《');
    const close = squeezed.lastIndexOf('》');
    if (open === -1 || close <= open) continue;
    const planTitle = squeezed.slice(open + 1, close);
    const after = squeezed.slice(close + 1);
    const label = /^(.*?)(?:工作)?(?:推进情况|进展情况|落实情况)?(?:调度表|的通报|通报)?$/.exec(after)?.[1] ?? '';
    const roundLabel = /\d{4}年[^工推进落调]*/.exec(label)?.[0] ?? label;
    if (planTitle && roundLabel) return { planTitle, roundLabel };
    if (planTitle) {
      warnings.push(at(title?.line ?? 1, '表格标题中没有调度轮次（如“2017年第二季度”），轮次记为“未命名轮次”'));
      return { planTitle, roundLabel: '未命名轮次' };
    }
  }
  warnings.push(at(title?.line ?? 1, '没有找到分工方案名称（书名号《…》中），方案记为“未命名分工方案”'));
  return { planTitle: '未命名分工方案', roundLabel: '未命名轮次' };
}
