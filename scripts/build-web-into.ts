import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the web app from the current source with the project's vite config into `outDir`
 * (emptied first), as `npm run build:web` does into dist/web: for the journeys' shared build and
 * `bench:web`, which must not touch the app's own build.
 */
export async function buildWebInto(outDir: string): Promise<void> {
  const vite = await import('vite');
  await vite.build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    root: path.join(ROOT, 'src/web'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}
