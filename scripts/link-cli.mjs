// Links the CLI into node_modules/.bin (run by `npm ci`/`npm install` through the `prepare` script),
// so that `npx diaodu` finds it there as it finds `tsc`. package.json has no `bin` on purpose: for a
// command the project's own package.json names as a bin, npx (npm 10–11) loads npm's installer
// (arborist, pacote) and reads the whole dependency tree to "install" the project into its cache
// before every run — 1.5 s for `npx diaodu --help` where `node bin/diaodu.js --help` takes 0.15 s
// (docs/benchmarks.md, "start"). A command found in node_modules/.bin is run at once. Decision 039.
import { chmodSync, lstatSync, mkdirSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Makes `root`'s node_modules/.bin/diaodu a relative link to bin/diaodu.js (replacing whatever was there); returns the link's path. */
export function linkCli(root = ROOT) {
  const binFolder = path.join(root, 'node_modules', '.bin');
  const link = path.join(binFolder, 'diaodu');
  const target = path.relative(binFolder, path.join(root, 'bin', 'diaodu.js'));
  mkdirSync(binFolder, { recursive: true });
  let current = null;
  try {
    current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : '';
  } catch {
    // No link yet.
  }
  if (current !== target) {
    if (current !== null) rmSync(link, { force: true });
    symlinkSync(target, link);
  }
  chmodSync(path.join(root, 'bin', 'diaodu.js'), 0o755);
  return link;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) linkCli();
