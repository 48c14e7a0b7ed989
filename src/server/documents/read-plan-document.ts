import { createHash } from 'node:crypto';
import { invalid } from '../../domain/errors.ts';
import { planDocumentSchema, type PlanDocument } from '../../domain/plan-document.ts';
import { decodeTextDocument } from './decode.ts';
import { readSeedText } from './seed-text.reader.ts';

export interface ReadPlanDocumentResult {
  document: PlanDocument;
  warnings: string[];
  encoding: string;
  /** Hash of the document's content, not of its bytes: the same plan saved as GBK or UTF-8 is the same import. */
  contentHash: string;
}

/**
 * Reads a plan document from a file's bytes: the interchange JSON (`diaodu.plan/1`) or the seed's
 * text format (notice + tab-separated progress table). Bad input is refused with an error naming
 * the file and, where there is one, the line.
 */
export function readPlanDocument(bytes: Uint8Array, fileName: string): ReadPlanDocumentResult {
  const { text, encoding } = decodeTextDocument(bytes, fileName);
  const warnings: string[] = [];
  if (encoding !== 'utf-8') warnings.push(`${fileName}：按 ${encoding.toUpperCase()} 编码读取`);
  const looksLikeJson = /\.json$/i.test(fileName) || /^\s*\{/.test(text);
  const result = looksLikeJson ? readInterchangeJson(text, fileName) : readSeedText(text, fileName);
  return { ...result, warnings: [...warnings, ...result.warnings], encoding, contentHash: hashDocument(result.document) };
}

function readInterchangeJson(text: string, fileName: string): { document: PlanDocument; warnings: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid('import_json_syntax', `${fileName}：不是有效的 JSON（${(error as Error).message}）(invalid JSON)`, { file: fileName });
  }
  const parsed = planDocumentSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(root)';
    throw invalid('import_json_schema', `${fileName}：${where} 不符合 diaodu.plan/1 格式：${issue.message} (not a diaodu.plan/1 document)`, {
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
