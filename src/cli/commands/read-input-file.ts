import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalid } from '../../domain/errors.ts';
import { ImportLimits } from '../../domain/limits.ts';
import type { PlanFile } from '../../server/services/plan-file.service.ts';

/** Reads a file named on the command line; a missing or oversized file is bad input (exit 2). */
export async function readInputFile(cwd: string, name: string): Promise<PlanFile> {
  const fullPath = path.resolve(cwd, name);
  let size: number;
  try {
    const info = await stat(fullPath);
    if (!info.isFile()) throw invalid('file_not_regular', `${name}：不是普通文件`, { file: name });
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw invalid('file_not_found', `${name}：文件不存在`, { file: name });
    throw error;
  }
  if (size > ImportLimits.fileBytes) throw invalid('import_too_large', `${name}：文件超过 ${ImportLimits.fileBytes / 1024 / 1024} MB`, { file: name });
  return { fileName: name, bytes: await readFile(fullPath) };
}
