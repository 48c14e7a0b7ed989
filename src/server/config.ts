import { z } from 'zod';
import { invalid } from '../domain/errors.ts';

/**
 * The server's configuration, parsed once from the environment at start-up and passed in.
 * Nothing else reads `process.env`: a bad deployment fails here, listing every bad variable
 * at once, instead of failing later at the first request that happens to need the value.
 */

/** `sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…`. */
export const databaseUrlSchema = z.string().refine(
  (url) => {
    if (url.startsWith('sqlite:')) return url.length > 'sqlite:'.length;
    if (!/^postgres(?:ql)?:\/\//.test(url) || !URL.canParse(url)) return false;
    const parsed = new URL(url);
    // A host, or a Unix socket folder given as `?host=/var/run/postgresql`.
    return parsed.hostname !== '' || parsed.searchParams.has('host');
  },
  { message: 'expected sqlite:<path>, sqlite::memory: or postgres://user:password@host:port/database' },
);

// An empty variable (`PORT=`) means "not set", as shells and .env files commonly write it.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  DIAODU_DATABASE_URL: z.preprocess(unsetIfEmpty, databaseUrlSchema.default('sqlite:./data/diaodu.db')),
  PORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, 'expected a port number 1–65535')
      .transform(Number)
      .pipe(z.number().int().min(1, 'expected a port number 1–65535').max(65_535, 'expected a port number 1–65535'))
      .default(3000),
  ),
  HOST: z.preprocess(unsetIfEmpty, z.string().trim().min(1).default('127.0.0.1')),
});

export type Config = {
  /** Where the data lives; the engine follows from the scheme. */
  databaseUrl: string;
  port: number;
  host: string;
};

/** Parses the configuration; throws `invalid('config_invalid')` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      message: issue.message,
    }));
    const lines = problems.map((problem) => `  ${problem.variable}: ${problem.message}`);
    throw invalid('config_invalid', `配置错误 / invalid configuration:\n${lines.join('\n')}`, {
      variables: problems.map((problem) => problem.variable),
      problems,
    });
  }
  return { databaseUrl: parsed.data.DIAODU_DATABASE_URL, port: parsed.data.PORT, host: parsed.data.HOST };
}
