import { invalid } from '../../domain/errors.ts';
import { ImportLimits } from '../../domain/limits.ts';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
}

/** Magic numbers of files people rename or pick by mistake, with what to tell them. */
const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'PDF 文件' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'ZIP 压缩包（.docx/.xlsx 属于此类）' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: '旧版 Office 文件（.doc/.xls）(OLE2)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'PNG 图片' },
  { bytes: [0xff, 0xd8, 0xff], what: 'JPEG 图片' },
  { bytes: [0x1f, 0x8b], what: 'gzip 压缩文件' },
];

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);

/**
 * Turns the bytes of a text document into a string, or refuses with an error naming the file.
 * UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; text that is not valid UTF-8
 * is tried as GB18030 (a superset of GBK, what Chinese Windows saves by default) and accepted only
 * when it decodes without a single replacement and reads as Chinese — never stored as mojibake.
 */
export function decodeTextDocument(bytes: Uint8Array, fileName: string): DecodedText {
  if (bytes.length === 0) throw invalid('import_empty', `${fileName}：文件为空`, { file: fileName });
  if (bytes.length > ImportLimits.fileBytes)
    throw invalid('import_too_large', `${fileName}：文件超过 ${ImportLimits.fileBytes / 1024 / 1024} MB`, {
      file: fileName,
    });
  for (const { bytes: magic, what } of MAGIC)
    if (startsWith(bytes, magic)) throw invalid('import_not_text', `${fileName}：这是${what}，不是文本文件`, { file: fileName });

  if (startsWith(bytes, [0xff, 0xfe])) return checked(new TextDecoder('utf-16le').decode(bytes.subarray(2)), 'utf-16le', fileName);
  if (startsWith(bytes, [0xfe, 0xff])) return checked(new TextDecoder('utf-16be').decode(bytes.subarray(2)), 'utf-16be', fileName);

  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  if (body.includes(0)) throw invalid('import_not_text', `${fileName}：文件含有二进制数据`, { file: fileName });
  try {
    return checked(new TextDecoder('utf-8', { fatal: true }).decode(body), 'utf-8', fileName);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  let text: string;
  try {
    text = new TextDecoder('gb18030', { fatal: true }).decode(body);
  } catch {
    throw invalid('import_encoding', `${fileName}：既不是 UTF-8 也不是 GB18030/GBK 编码`, { file: fileName });
  }
  const han = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const letters = (text.match(/[^\s\p{P}\p{S}\d]/gu) ?? []).length;
  if (han === 0 || han < letters * 0.5) throw invalid('import_encoding', `${fileName}：无法确定文本编码，拒绝导入以免产生乱码`, { file: fileName });
  return checked(text, 'gb18030', fileName);
}

function checked(text: string, encoding: DecodedText['encoding'], fileName: string): DecodedText {
  // eslint-disable-next-line no-control-regex
  const controls = (text.match(/[\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
  if (controls > Math.max(8, text.length * 0.01)) throw invalid('import_not_text', `${fileName}：文件含有大量控制字符，不像文本`, { file: fileName });
  if (text.trim() === '') throw invalid('import_empty', `${fileName}：文件只有空白`, { file: fileName });
  return { text, encoding };
}
