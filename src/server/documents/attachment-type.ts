import type { AttachmentKind } from '../../domain/api/round-view.ts';
import { invalid, isDomainError } from '../../domain/errors.ts';
import { openOoxmlPackage } from './ooxml/zip.ts';
import { parseXmlPart } from './ooxml/xml.ts';

export type AttachmentType = { kind: AttachmentKind; contentType: string };

const TYPES: Record<AttachmentKind, { contentType: string; extensions: readonly string[]; label: string }> = {
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'], label: 'PDF 文件' },
  png: { contentType: 'image/png', extensions: ['.png'], label: 'PNG 图片' },
  jpeg: { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], label: 'JPEG 图片' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'], label: 'Word 文档（.docx）' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'], label: 'Excel 表格（.xlsx）' },
};

/** The main part's content type in [Content_Types].xml tells a Word document from an Excel workbook (ECMA-376 part 2). */
const MAIN_PARTS: Record<string, AttachmentKind> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': 'xlsx',
};

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (bytes: Uint8Array, prefix: readonly number[]) => bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);

/**
 * What an evidence file is, read from its bytes, never from its name: PDF, PNG, JPEG, or a zip
 * whose [Content_Types].xml declares a Word document or an Excel workbook (read through the
 * ooxml reader, with its entry and size caps, so a zip bomb is refused the same way as on import).
 * The name's extension must then agree with the content: a PDF renamed .docx, or a program renamed
 * .pdf, is refused with a message that says what the file really is where that is known.
 */
export function sniffAttachment(bytes: Uint8Array, fileName: string): AttachmentType {
  if (bytes.length === 0) throw invalid('attachment_empty', `${fileName}：文件为空`, { file: fileName });
  const kind = contentKind(bytes, fileName);
  if (kind === null)
    throw invalid('attachment_type', `${fileName}：只能上传 PDF、图片（PNG/JPEG）、Word（.docx）或 Excel（.xlsx）文件，这个文件的内容不是其中任何一种`, {
      file: fileName,
    });
  const type = TYPES[kind];
  const extension = /\.[^.]*$/.exec(fileName.toLowerCase())?.[0] ?? '';
  if (!type.extensions.includes(extension))
    throw invalid('attachment_extension_mismatch', `${fileName}：文件内容是${type.label}，与扩展名“${extension || '（无）'}”不符，请改正扩展名后再上传`, {
      file: fileName,
      kind,
    });
  return { kind, contentType: type.contentType };
}

function contentKind(bytes: Uint8Array, fileName: string): AttachmentKind | null {
  if (startsWith(bytes, PDF)) return 'pdf';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (!startsWith(bytes, ZIP)) return null;
  const declared: string[] = [];
  try {
    const pkg = openOoxmlPackage(bytes, fileName);
    if (!pkg.has('[Content_Types].xml')) return null;
    parseXmlPart(pkg, '[Content_Types].xml', {
      open(tag) {
        const contentType = tag.local === 'Override' || tag.local === 'Default' ? tag.attr('ContentType') : undefined;
        if (contentType) declared.push(contentType.trim().toLowerCase());
      },
      close() {},
      text() {},
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw invalid('attachment_unreadable', `${fileName}：文件已损坏或不是完整的 Word/Excel 文件，请重新保存后再上传`, { file: fileName, reason: error.code });
  }
  // Macros (.docm/.xlsm, or a VBA project in any package) are not accepted as evidence.
  if (declared.some((type) => type.includes('macroenabled') || type.includes('vbaproject'))) return null;
  const kinds = new Set(declared.map((type) => MAIN_PARTS[type]).filter((kind): kind is AttachmentKind => kind !== undefined));
  return kinds.size === 1 ? [...kinds][0]! : null;
}
