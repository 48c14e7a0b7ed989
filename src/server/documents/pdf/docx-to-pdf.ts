import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { failed, unavailable } from '../../../domain/errors.ts';
import { fontconfigXml } from './fontconfig.ts';

/**
 * PDF through LibreOffice headless: the Word file the docx writer made, converted by the program
 * that lays it out most like Word does. One conversion at a time in the process, each in a fresh
 * temporary folder with its own LibreOffice profile (LibreOffice will not run twice on one
 * profile, and a profile left by a killed run can be damaged), fontconfig stand-ins for the
 * official fonts, a timeout that kills the whole process tree. Decision 007.
 *
 * The profile is made once per process and program, not per conversion: LibreOffice starting on an
 * empty profile fills it (extensions, its graphics self-test) and then restarts itself. The profile
 * a successful conversion leaves is kept in memory (about 0.5 MB) and written into each later
 * conversion's fresh folder; a conversion that fails on a kept profile drops it, and the next starts
 * from nothing again. On an empty profile soffice.bin starts twice; the seed notice took 2.7–2.9 s of
 * the machine's CPU a conversion on an empty profile, 2.4–2.6 s on a kept one (2026-12-06).
 */

export const PDF_DEFAULT_TIMEOUT_MS = 120_000;

/** The names LibreOffice's launcher goes by on Linux distributions. */
const SOFFICE_NAMES = ['soffice', 'libreoffice'] as const;

/** Where fontconfig reads its configuration when FONTCONFIG_FILE is not set. */
const SYSTEM_FONTCONFIG = '/etc/fonts/fonts.conf';

/**
 * glibc's allocator settings for LibreOffice's process. By default glibc serves each allocation
 * above its threshold (128 KB, raised as blocks are freed, to at most 32 MB) with a fresh mmap and
 * gives it back on free; LibreOffice 7.4 allocates and frees blocks of 1–64 MB over and over while
 * it starts and lays out (a one-line document: 536 such blocks, 12 GB mapped, zeroed and unmapped
 * again, 305,000 page faults). Served from a heap it keeps, the same conversion faults 53,000
 * times: a one-line document in 1.5 s of CPU instead of 4.5 s, the seed notice in 2.5 s instead of
 * 6.3 s, at 261 MB resident instead of 214 MB (2026-12-06, glibc 2.36). Both settings are needed:
 * either alone left the page faults as they were (measured).
 * Other C libraries ignore the variable; an operator's own GLIBC_TUNABLES comes last and wins.
 */
const LIBREOFFICE_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824';

/** How much of LibreOffice's output an error carries. */
const OUTPUT_TAIL_CHARACTERS = 2_000;

export interface ConvertOptions {
  /** Kill LibreOffice and throw `pdf_timeout` after this long (from the start of this conversion, not of its wait in the queue). */
  timeoutMs?: number;
  /** The soffice program; found on PATH when not given. */
  soffice?: string;
  /** Where the conversion's temporary folder goes (the system's temporary folder by default). */
  tempRoot?: string;
}

const isExecutableFile = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The soffice program on the search path (`soffice`, then `libreoffice`), or null when LibreOffice is not installed. */
export function findSoffice(searchPath: string = process.env.PATH ?? ''): string | null {
  const folders = searchPath.split(path.delimiter).filter((folder) => folder !== '');
  for (const name of SOFFICE_NAMES)
    for (const folder of folders) {
      const candidate = path.join(folder, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  return null;
}

const notInstalled = (soffice: string | null) =>
  unavailable(
    'pdf_unavailable',
    soffice === null
      ? '服务器未安装 LibreOffice，无法生成 PDF；请下载 Word 文件，或请管理员安装 libreoffice-writer-nogui'
      : `找不到 LibreOffice 程序 ${soffice}，无法生成 PDF；请下载 Word 文件，或请管理员检查安装`,
    soffice === null ? {} : { soffice },
  );

/** A LibreOffice profile as its files, by path inside the profile. */
type ProfileSnapshot = { relative: string; bytes: Buffer }[];

/** Larger than this, a profile is not kept (LibreOffice's own is about 0.5 MB). */
const KEPT_PROFILE_MAX_BYTES = 16 * 1024 * 1024;

/** The profile kept for each soffice program: the one its last clean conversion on an empty profile left. */
const keptProfiles = new Map<string, ProfileSnapshot>();

/** The profile's files (not its `.lock`), or null when it is unreadable, unfinished or too large. */
async function readProfile(folder: string): Promise<ProfileSnapshot | null> {
  try {
    const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && entry.name !== '.lock');
    const snapshot = await Promise.all(
      files.map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { relative: path.relative(folder, file), bytes: await readFile(file) };
      }),
    );
    // Only a profile LibreOffice finished setting up is worth keeping.
    const complete = snapshot.some((entry) => entry.relative === path.join('user', 'registrymodifications.xcu'));
    const bytes = snapshot.reduce((sum, entry) => sum + entry.bytes.byteLength, 0);
    return complete && bytes <= KEPT_PROFILE_MAX_BYTES ? snapshot : null;
  } catch {
    return null;
  }
}

async function writeProfile(snapshot: ProfileSnapshot, folder: string): Promise<void> {
  for (const entry of snapshot) {
    const target = path.join(folder, entry.relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, entry.bytes);
  }
}

// One conversion at a time: LibreOffice takes a core and several hundred MB, and two at once only
// slow each other. The queue is per process (per worker thread, if it is ever loaded in one).
let queue: Promise<unknown> = Promise.resolve();

/**
 * Converts a .docx to PDF with LibreOffice. Waits for the conversions before it; throws
 * `pdf_unavailable` when LibreOffice is not installed, `pdf_timeout` when the conversion runs
 * longer than `timeoutMs` (default 120 s; the process tree is killed), and `pdf_failed` with the
 * tail of LibreOffice's output when it produces no PDF. The temporary folder is always removed.
 */
export function convertDocxToPdf(docx: Uint8Array, options: ConvertOptions = {}): Promise<Uint8Array> {
  const result = queue.then(() => convertNow(docx, options));
  queue = result.catch(() => undefined);
  return result;
}

async function convertNow(docx: Uint8Array, options: ConvertOptions): Promise<Uint8Array> {
  const soffice = options.soffice ?? findSoffice();
  if (soffice === null) throw notInstalled(null);
  try {
    await access(soffice, constants.X_OK);
  } catch {
    throw notInstalled(soffice);
  }
  const timeoutMs = options.timeoutMs ?? PDF_DEFAULT_TIMEOUT_MS;
  const folder = await mkdtemp(path.join(options.tempRoot ?? tmpdir(), 'diaodu-pdf-'));
  try {
    const input = path.join(folder, 'document.docx');
    const output = path.join(folder, 'out');
    const profile = path.join(folder, 'profile');
    const fontsConf = path.join(folder, 'fonts.conf');
    await mkdir(output);
    const kept = keptProfiles.get(soffice);
    if (kept) await writeProfile(kept, profile);
    await writeFile(input, docx);
    await writeFile(fontsConf, fontconfigXml(process.env.FONTCONFIG_FILE ?? SYSTEM_FONTCONFIG));
    const args = [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--headless',
      '--norestore',
      '--nologo',
      '--nolockcheck',
      // Read the input as Word 2007+, never by guessing (a damaged file is an error, not a text document).
      '--infilter=MS Word 2007 XML',
      '--convert-to',
      // Keep the blank pages LibreOffice inserts before a section that must start on an even or odd
      // page (the 版记 page of a notice): the printed document needs them (decision 022).
      `pdf:writer_pdf_Export:${JSON.stringify({ IsSkipEmptyPages: { type: 'boolean', value: 'false' } })}`,
      '--outdir',
      output,
      input,
    ];
    const tunables = [LIBREOFFICE_MALLOC_TUNABLES, process.env.GLIBC_TUNABLES].filter(Boolean).join(':');
    const run = await runProcess(soffice, args, { ...process.env, FONTCONFIG_FILE: fontsConf, GLIBC_TUNABLES: tunables }, timeoutMs);
    const pdf = run.timedOut || run.spawnError ? null : await readFile(path.join(output, 'document.pdf')).catch(() => null);
    const clean = run.exitCode === 0 && pdf !== null && isPdf(pdf);
    if (!clean && kept) keptProfiles.delete(soffice);
    if (clean && !kept) {
      const snapshot = await readProfile(profile);
      if (snapshot) keptProfiles.set(soffice, snapshot);
    }
    if (run.timedOut)
      throw unavailable('pdf_timeout', `PDF 转换超过 ${Number((timeoutMs / 1000).toFixed(1))} 秒仍未完成，已中止；请稍后重试，或下载 Word 文件`, { timeoutMs });
    if (run.spawnError) throw notInstalled(soffice);
    if (!clean || pdf === null)
      throw failed('pdf_failed', `LibreOffice 未能生成 PDF（退出码 ${run.exitCode ?? run.signal}）；请下载 Word 文件`, {
        exitCode: run.exitCode,
        signal: run.signal,
        output: run.outputTail,
      });
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    // A killed LibreOffice may still be letting go of files for a moment: retry.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

const isPdf = (bytes: Uint8Array) => bytes.length > 4 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';

interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError: boolean;
  /** The last characters of stdout and stderr together, without LibreOffice's harmless Java warning. */
  outputTail: string;
}

/**
 * Runs LibreOffice in a process group of its own (`detached`), so that a timeout can kill the
 * launcher script, oosplash and soffice.bin together; resolves once every one of them has closed
 * its output.
 */
function runProcess(program: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(program, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4 * OUTPUT_TAIL_CHARACTERS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const outputTail = output
        .split('\n')
        .filter((line) => !/failed to launch javaldx/.test(line))
        .join('\n')
        .trim()
        .slice(-OUTPUT_TAIL_CHARACTERS);
      resolve({ exitCode, signal, timedOut, spawnError, outputTail });
    };
    // A program that cannot be started (gone since it was found, not executable) reports here.
    child.on('error', () => finish(null, null, true));
    child.on('close', (exitCode, signal) => finish(exitCode, signal, false));
  });
}
