import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { invalid, isDomainError } from '../../../domain/errors.ts';
import { OoxmlLimits } from './limits.ts';

/**
 * The zip container of a .docx/.xlsx, opened without trusting it (decision 008).
 *
 * The central directory is read first (a fixed binary layout, APPNOTE 4.3.12–16) and every cap
 * in `OoxmlLimits` is checked against the sizes it declares before a single byte is inflated.
 * A part is inflated only when asked for, with fflate's streaming `Inflate` fed in small slices,
 * so the cap is enforced again on the bytes actually produced: a part may not grow past its
 * declared size, and the CRC must match. fflate's `unzipSync` was not used because it sizes its
 * output from the declared size and silently cuts off a part whose header lies.
 */
export interface OoxmlPackage {
  /** The file as the user named it, for messages. */
  readonly source: string;
  /** Part names in directory order (`word/document.xml`). */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The inflated bytes of a part; null when there is no such part. */
  read(name: string): Uint8Array | null;
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Compressed bytes fed to the inflater at a time: deflate's 1,032× bound keeps one step's output under 17 MB. */
const SLICE = 16 * 1024;
const MB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export const isZip = (bytes: Uint8Array) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

export function openOoxmlPackage(bytes: Uint8Array, source: string): OoxmlPackage {
  const corrupt = (why: string) =>
    invalid('import_zip_corrupt', `${source}：文件已损坏，不是完整的 .docx/.xlsx 压缩包（${why}），请重新保存或重新导出后再试`, {
      file: source,
      reason: why,
    });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);

  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--)
    if (u32(at) === EOCD_SIGNATURE && at + 22 + u16(at + 20) === bytes.length) {
      eocd = at;
      break;
    }
  if (eocd === -1) throw corrupt('找不到中央目录 no end of central directory');
  const declaredEntries = u16(eocd + 10);
  const directorySize = u32(eocd + 12);
  const directoryOffset = u32(eocd + 16);
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0 || u16(eocd + 8) !== declaredEntries)
    throw invalid('import_zip_unsupported', `${source}：不支持分卷压缩包`, { file: source });
  if (declaredEntries === 0xffff || directoryOffset === 0xffffffff)
    throw invalid('import_zip_unsupported', `${source}：不支持 ZIP64 格式（Office 文件不需要）`, { file: source });
  if (declaredEntries > OoxmlLimits.entries) throw tooManyEntries(source, declaredEntries);
  if (directoryOffset + directorySize > eocd) throw corrupt('中央目录越界 central directory out of bounds');

  const entries = new Map<string, Entry>();
  let totalSize = 0;
  let at = directoryOffset;
  for (let index = 0; index < declaredEntries; index++) {
    if (at + 46 > eocd || u32(at) !== CENTRAL_SIGNATURE) throw corrupt(`第 ${index + 1} 个目录项损坏 directory entry ${index + 1}`);
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const entry: Entry = {
      name: new TextDecoder('utf-8').decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localOffset: u32(at + 42),
    };
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (at > eocd) throw corrupt(`第 ${index + 1} 个目录项越界 directory entry ${index + 1} out of bounds`);
    if (flags & 0x1)
      throw invalid('import_zip_encrypted', `${source}：文件已加密（${entry.name}），请在 Office 中取消密码保护后再导入`, { file: source, part: entry.name });
    if (entry.method !== 0 && entry.method !== 8)
      throw invalid('import_zip_unsupported', `${source}：${entry.name} 使用了不支持的压缩方式 ${entry.method}`, { file: source, part: entry.name });
    if (entry.method === 0 && entry.compressedSize !== entry.size) throw corrupt(`${entry.name} 大小不一致 stored size mismatch`);
    if (entries.has(entry.name))
      throw invalid('import_zip_duplicate', `${source}：压缩包中 ${entry.name} 出现两次，无法确定读哪一个`, { file: source, part: entry.name });
    checkDeclared(source, entry);
    totalSize += entry.size;
    if (totalSize > OoxmlLimits.totalBytes) throw tooBig(source, '解压后总大小', totalSize, OoxmlLimits.totalBytes, { part: entry.name });
    entries.set(entry.name, entry);
  }

  let inflatedTotal = 0;
  const read = (name: string): Uint8Array | null => {
    const entry = entries.get(name);
    if (!entry) return null;
    if (entry.localOffset + 30 > bytes.length || u32(entry.localOffset) !== LOCAL_SIGNATURE) throw corrupt(`${name} 的本地文件头损坏 bad local header`);
    const start = entry.localOffset + 30 + u16(entry.localOffset + 26) + u16(entry.localOffset + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) throw corrupt(`${name} 的数据超出文件末尾 data past the end of the file`);
    const data = bytes.subarray(start, end);
    const output = entry.method === 0 ? data.slice() : inflateCapped(source, entry, data, corrupt);
    if (output.length !== entry.size) throw corrupt(`${name} 解压后为 ${output.length} 字节，目录声明 ${entry.size} 字节 size mismatch`);
    if (crc32(output) >>> 0 !== entry.crc) throw corrupt(`${name} 校验和不符 CRC mismatch`);
    inflatedTotal += output.length;
    if (inflatedTotal > OoxmlLimits.totalBytes) throw tooBig(source, '解压后总大小', inflatedTotal, OoxmlLimits.totalBytes, { part: name });
    return output;
  };

  return { source, names: [...entries.keys()], has: (name) => entries.has(name), read };
}

function checkDeclared(source: string, entry: Entry): void {
  if (entry.size > OoxmlLimits.entryBytes) throw tooBig(source, `${entry.name} 解压后大小`, entry.size, OoxmlLimits.entryBytes, { part: entry.name });
  if (entry.size > OoxmlLimits.ratioFloorBytes && entry.size > entry.compressedSize * OoxmlLimits.ratio)
    throw bomb(source, entry.name, entry.size, entry.compressedSize);
}

/** Inflates slice by slice and stops as soon as the output passes the part's declared size. */
function inflateCapped(source: string, entry: Entry, data: Uint8Array, corrupt: (why: string) => Error): Uint8Array {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    // The header lied (or the data is damaged): stop at once, whatever it would have grown to.
    if (produced > entry.size)
      throw invalid(
        'import_zip_bomb',
        `${source}：${entry.name} 目录声明解压后 ${entry.size} 字节，实际解压已超过 ${produced} 字节，文件头与数据不符（疑似压缩炸弹），拒绝导入`,
        { file: source, part: entry.name, declared: entry.size, produced },
      );
    chunks.push(chunk);
  });
  try {
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
    for (let offset = 0; offset < data.length; offset += SLICE) inflater.push(data.subarray(offset, offset + SLICE), offset + SLICE >= data.length);
  } catch (error) {
    if (isDomainError(error)) throw error;
    throw corrupt(`${entry.name} 无法解压 ${(error as Error).message}`);
  }
  const output = new Uint8Array(produced);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.length;
  }
  return output;
}

function tooManyEntries(source: string, count: number) {
  return invalid('import_zip_entries', `${source}：压缩包含有 ${count} 个文件，超过上限 ${OoxmlLimits.entries} 个，不像 Word/Excel 文件，拒绝导入`, {
    file: source,
    entries: count,
    limit: OoxmlLimits.entries,
  });
}

function tooBig(source: string, what: string, size: number, limit: number, details: Record<string, unknown>) {
  return invalid('import_zip_too_large', `${source}：${what} ${MB(size)}，超过上限 ${MB(limit)}，拒绝导入`, {
    file: source,
    size,
    limit,
    ...details,
  });
}

function bomb(source: string, part: string, size: number, compressed: number) {
  const ratio = Math.round(size / Math.max(1, compressed));
  return invalid(
    'import_zip_bomb',
    `${source}：${part} 声明由 ${compressed} 字节膨胀到 ${size} 字节（${ratio} 倍），超过压缩比上限 ${OoxmlLimits.ratio} 倍，疑似压缩炸弹，拒绝导入`,
    { file: source, part, size, compressed, ratio, limit: OoxmlLimits.ratio },
  );
}
