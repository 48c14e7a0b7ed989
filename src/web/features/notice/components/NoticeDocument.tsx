import { DRAFT_MARK } from '../../../../domain/export-options.ts';
import { formatNoticeDate } from '../../../../domain/notice.ts';
import type { Notice } from '../../../../domain/plan-document.ts';
import './notice-print.css';

/**
 * The notice laid out as the document prints it (GB/T 9704's order): red issuing office, number,
 * rule, title, recipients, body, attachment, issuer and date, contact, then 抄送 and 印发 between
 * rules. The print page and the form's live preview both show this, so they cannot drift apart.
 */
export function NoticeDocument({ notice, className, draft = false }: { notice: Notice; className?: string; draft?: boolean }) {
  // Each line as the Word writer (notice-docx.ts) writes it, so the preview shows what is issued.
  const who = [notice.contact.unit, notice.contact.name].filter(Boolean).join(' ');
  const contact = [who ? `联系人：${who}` : null, notice.contact.phone ? `联系电话：${notice.contact.phone}` : null].filter(Boolean).join('\u3000');
  const recipients = notice.recipients ? `${notice.recipients.replace(/[:：]$/, '')}：` : null;
  const attachment = notice.attachment ? `附件：${notice.attachment.replace(/^附件\s*[:：]\s*/, '')}` : null;
  const cc = notice.cc.length > 0 ? `抄送：${notice.cc.join('，').replace(/[。.]$/, '')}。` : null;
  // As the Word writer does: the mark is the office's name followed by 文件.
  const mark = notice.issuingOffice ? (/文件$/.test(notice.issuingOffice) ? notice.issuingOffice : `${notice.issuingOffice}文件`) : null;
  return (
    <article className={['notice-print', className].filter(Boolean).join(' ')} aria-label="通报">
      {/* A draft for review says so above the office's mark (decision 024). */}
      {draft && <p className="notice-draft-mark">{DRAFT_MARK}</p>}
      {mark && <h1 className="notice-office">{mark}</h1>}
      {notice.docNumber && <p className="notice-doc-number">{notice.docNumber}</p>}
      <hr className="notice-rule" />
      {notice.title && <h2 className="notice-title">{notice.title}</h2>}
      {recipients && <p className="notice-recipients">{recipients}</p>}
      {notice.body.map((paragraph, i) => (
        <p key={i} className="notice-paragraph">
          {paragraph}
        </p>
      ))}
      {attachment && <p className="notice-paragraph notice-attachment">{attachment}</p>}
      <div className="notice-signature-block">
        {notice.issuer && <p className="notice-signature">{notice.issuer}</p>}
        {notice.date && <p className="notice-signature">{formatNoticeDate(notice.date)}</p>}
      </div>
      {contact && <p className="notice-paragraph">（{contact}）</p>}
      {(cc || notice.printed.by || notice.printed.date) && (
        <footer className="notice-colophon">
          {cc && <p className="notice-footer">{cc}</p>}
          {(notice.printed.by || notice.printed.date) && (
            <p className="notice-footer notice-printed">
              <span>{notice.printed.by}</span>
              <span>{notice.printed.date ? `${formatNoticeDate(notice.printed.date)}印发` : '印发'}</span>
            </p>
          )}
        </footer>
      )}
    </article>
  );
}
