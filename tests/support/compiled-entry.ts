import { compiledFile } from '../../scripts/compile-tests.mjs';

/**
 * Node's arguments for a child process that runs one of the project's TypeScript entries (the
 * server's src/server/main.ts, a test's helper script), compiled ahead as the test files themselves
 * run (scripts/compile-tests.mjs, decision 048), with source maps on so a stack trace names the .ts
 * line. Started through `node --import tsx`, each child's start cost about two seconds more of a
 * core, and tsx's hooks thread went on costing while it ran. `source` is absolute or relative to
 * the project's root; a file already compiled and unchanged is reused.
 */
export async function compiledEntry(source: string): Promise<string[]> {
  return ['--enable-source-maps', await compiledFile(source)];
}
