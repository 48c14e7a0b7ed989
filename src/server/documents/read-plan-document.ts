import { createHash } from 'node:crypto';
import { invalid } from '../../domain/errors.ts';
import { ImportLimits } from '../../domain/limits.ts';
import { planDocumentSchema, type PlanDocument } from '../../domain/plan-document.ts';
import { decodeTextDocument } from './decode.ts';
import { readDocxTable } from './docx-table.reader.ts';
import { mainDocumentPart } from './ooxml/wordprocessing.ts';
import { isZip, openOoxmlPackage } from './ooxml/zip.ts';
import { readSeedText } from './seed-text.reader.ts';
import { readXlsxTable } from './xlsx-table.reader.ts';

export type PlanFileFormat = 'json' | 'text' | 'docx' | 'xlsx';

export interface ReadPlanDocumentResult {
  document: PlanDocument;
  warnings: string[];
  encoding: string;
  /** What the file turned out to be, by its content (not its name). */
  format: PlanFileFormat;
  /** Hash of the document's content, not of its bytes: the same plan saved as GBK or UTF-8, or as .docx, is the same import. */
  contentHash: string;
}

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
const PDF = [0x25, 0x50, 0x44, 0x46];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];

/**
 * Reads a plan document from a file's bytes, chosen by content, never by the name alone: a Word
 * (.docx) or Excel (.xlsx) table, the interchange JSON (`diaodu.plan/1`) or the seed's text format
 * (notice + tab-separated progress table). Bad input is refused with an error naming the file and,
 * where there is one, the line, row or cell.
 */
export function readPlanDocument(bytes: Uint8Array, fileName: string): ReadPlanDocumentResult {
  if (bytes.length === 0) throw invalid('import_empty', `${fileName}：文件为空`, { file: fileName });
  if (bytes.length > ImportLimits.fileBytes)
    throw invalid('import_too_large', `${fileName}：文件超过 ${ImportLimits.fileBytes / 1024 / 1024} MB`, { file: fileName, limit: ImportLimits.fileBytes });
  if (startsWith(bytes, PDF))
    throw invalid('import_pdf_unsupported', `${fileName}：这是 PDF 文件，PDF 无法导入（表格结构在 PDF 中已丢失）；请导入 Word (.docx) 或 Excel (.xlsx) 原件`, {
      file: fileName,
    });
  if (startsWith(bytes, OLE2))
    throw invalid('import_legacy_office', `${fileName}：这是旧版 Office 文件（.doc/.xls），无法导入；请在 Word/Excel 中“另存为” .docx/.xlsx 后再导入`, {
      file: fileName,
    });
  if (isZip(bytes) || startsWith(bytes, EMPTY_ZIP)) return withHash(readOfficeFile(bytes, fileName));
  if (/\.(docx|xlsx|docm|xlsm)$/i.test(fileName))
    throw invalid(
      'import_not_ooxml',
      `${fileName}：文件名是 ${/\.docx|\.docm/i.test(fileName) ? 'Word' : 'Excel'} 文件，内容却不是（不是 ZIP 压缩包），可能是改了扩展名或文件已损坏`,
      { file: fileName },
    );

  const { text, encoding } = decodeTextDocument(bytes, fileName);
  const warnings: string[] = [];
  if (encoding !== 'utf-8') warnings.push(`${fileName}：按 ${encoding.toUpperCase()} 编码读取`);
  const looksLikeJson = /\.json$/i.test(fileName) || /^\s*\{/.test(text);
  const result = looksLikeJson ? readInterchangeJson(text, fileName) : readSeedText(text, fileName);
  return withHash({ ...result, warnings: [...warnings, ...result.warnings], encoding, format: looksLikeJson ? 'json' : 'text' });
}

/** A zip: Word if it has a main document part, Excel if it has a workbook, refused otherwise. */
function readOfficeFile(bytes: Uint8Array, fileName: string): Omit<ReadPlanDocumentResult, 'contentHash'> {
  const pkg = openOoxmlPackage(bytes, fileName);
  const wordPart = mainDocumentPart(pkg);
  if (pkg.has(wordPart) && /document\.xml$/.test(wordPart)) return { ...readDocxTable(pkg), encoding: 'utf-8', format: 'docx' };
  if (pkg.has('xl/workbook.xml')) return { ...readXlsxTable(pkg), encoding: 'utf-8', format: 'xlsx' };
  throw invalid(
    'import_zip_unknown',
    `${fileName}：这是 ZIP 压缩包，但不是 Word (.docx) 或 Excel (.xlsx) 文件（没有 word/document.xml 或 xl/workbook.xml），无法导入`,
    { file: fileName, parts: pkg.names.slice(0, 20) },
  );
}

function withHash(result: Omit<ReadPlanDocumentResult, 'contentHash'>): ReadPlanDocumentResult {
  return { ...result, contentHash: hashDocument(result.document) };
}

function readInterchangeJson(text: string, fileName: string): { document: PlanDocument; warnings: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid('import_json_syntax', `${fileName}：不是有效的 JSON（${(error as Error).message}）`, { file: fileName });
  }
  const parsed = planDocumentSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(root)';
    throw invalid('import_json_schema', `${fileName}：${where} 不符合 diaodu.plan/1 格式：${issue.message}`, {
      file: fileName,
      path: where,
      issues: parsed.error.issues.length,
    });
  }
  return { document: parsed.data, warnings: [] };
}

/** SHA-256 over the canonical JSON of the document. */
export function hashDocument(document: PlanDocument): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex');
}
