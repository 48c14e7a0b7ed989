/** The build folder of the test files compiled ahead (tmp/test-build). */
export const TEST_BUILD_DIR: string;

/**
 * Compiles `files` (absolute paths of .ts test files) and the TypeScript they import into `outDir`;
 * returns each test file's compiled URL, how many files the build holds for them, and how many were
 * transformed this time (the rest reused).
 */
export function compileTests(files: string[], outDir?: string): Promise<{ urls: Map<string, string>; files: number; transformed: number }>;

/** The source of a file in the build folder (x.test.js → x.test.ts), or null for any other path. */
export function sourceOfCompiled(file: string, outDir?: string): string | null;

/** The compiled file of one TypeScript entry (absolute, or relative to the project's root) and of what it imports. */
export function compiledFile(source: string, outDir?: string): Promise<string>;
