import { parseArgs, type ParseArgsConfig } from 'node:util';

export const ExitCode = { ok: 0, failure: 1, usage: 2, badInput: 2 } as const;

/** Where a command reads and writes; the real process or a test's buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}

export class UsageError extends Error {}

/** node:util parseArgs with --help everywhere and usage errors that name the bad option. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
