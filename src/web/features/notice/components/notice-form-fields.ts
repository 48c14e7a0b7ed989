/**
 * The notice form's fields and the pure rules between them and the API (NoticeFormPage.tsx): the
 * document number from its three boxes, and the field a server error names.
 */

/** The form's fields: the notice's, with the document number in three parts and dates as typed. */
export interface FormValues {
  issuingOffice?: string;
  docPrefix?: string;
  docYear?: number | null;
  docNo?: number | null;
  title?: string;
  recipients?: string;
  body?: string[];
  attachment?: string;
  issuer?: string;
  date?: string;
  contactUnit?: string;
  contactName?: string;
  contactPhone?: string;
  cc?: string[];
  printedBy?: string;
  printedDate?: string;
}

/** 文号 from its three boxes: 机关代字〔年份〕序号号; null when there is none yet. */
export function docNumberOf(values: FormValues): string | null {
  const prefix = values.docPrefix?.trim() ?? '';
  const year = values.docYear ?? null;
  const number = values.docNo ?? null;
  if (prefix === '' && year === null && number === null) return null;
  // A prefix alone (the one the form starts with) is no number yet; a whole number in another form,
  // kept in the prefix box as it came, is sent as it is for the server to check.
  if (year === null && number === null) return /\d/.test(prefix) ? prefix : null;
  return `${prefix}〔${year ?? ''}〕${number ?? ''}号`;
}

export type NamePath = keyof FormValues | ['body' | 'cc', number];

/** The form field a server error names (`title`, `body.2`, `contact.phone`, `body.notice.title` from the schema). */
export function formNameOf(field: string): NamePath | null {
  const name = field.replace(/^body\.notice\./, '');
  const item = /^(body|cc)\.(\d+)$/.exec(name);
  if (item) return [item[1] as 'body' | 'cc', Number(item[2])];
  const names: Record<string, keyof FormValues> = {
    issuingOffice: 'issuingOffice',
    docNumber: 'docNo',
    title: 'title',
    recipients: 'recipients',
    attachment: 'attachment',
    issuer: 'issuer',
    date: 'date',
    'contact.unit': 'contactUnit',
    'contact.name': 'contactName',
    'contact.phone': 'contactPhone',
    'printed.by': 'printedBy',
    'printed.date': 'printedDate',
  };
  return names[name] ?? null;
}
