import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';

/**
 * The Node versions diaodu declares (package.json `engines.node`, decision 045) are ones every
 * installed package accepts, so `npm ci` prints no EBADENGINE on any of them — checked here against
 * the lock file's `engines` of every package, without installing anything. And CI's Node 22 phase
 * (scripts/ci-node22.sh) runs a version the declaration covers, the one the README names as tested.
 */

// semver is npm's own range arithmetic (here through fastify, which depends on it).
const require = createRequire(import.meta.url);
const semver = require('semver') as {
  subset(sub: string, dom: string): boolean;
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
};

type Lock = { packages: Record<string, { engines?: Record<string, string> | string[]; optional?: boolean }> };

/** Every locked package whose `engines.node` does not accept all of `declared`, with its range. */
export function engineConflicts(declared: string, lock: Lock): string[] {
  const conflicts: string[] = [];
  for (const [where, entry] of Object.entries(lock.packages)) {
    if (where === '') continue;
    // Old packages wrote `engines` as an array of strings, which npm does not check.
    const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
    if (range === undefined) continue;
    if (semver.validRange(range) === null || !semver.subset(declared, range)) conflicts.push(`${where.replace(/^.*node_modules\//, '')} wants node ${range}`);
  }
  return conflicts;
}

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { engines: { node: string } };
const lock = JSON.parse(read('package-lock.json')) as Lock & { packages: { '': { engines?: { node?: string } } } };
const declared = packageJson.engines.node;
const node22 = /^NODE22_VERSION=(\S+)$/m.exec(read('scripts/ci-node22.sh'))?.[1];

describe('Node versions (decision 045)', () => {
  test('every locked package accepts every Node that package.json declares: no EBADENGINE', () => {
    assert.deepEqual(engineConflicts(declared, lock), []);
    assert.equal(lock.packages[''].engines?.node, declared, "package-lock.json carries package.json's engines");
  });

  test('the declaration is Node 20.19 and up on 20, and Node 22 LTS', () => {
    for (const version of ['20.19.0', '22.13.0']) assert.ok(semver.satisfies(version, declared), `${version} is declared (${declared})`);
    for (const version of ['18.20.0', '20.18.0', '21.7.0']) assert.ok(!semver.satisfies(version, declared), `${version} is not declared (${declared})`);
  });

  test("CI's Node 22 phase runs a declared Node 22, and the README names it as tested", () => {
    assert.ok(node22, 'scripts/ci-node22.sh pins NODE22_VERSION');
    assert.equal(semver.satisfies(node22, '22.x'), true, `${node22} is a Node 22`);
    assert.ok(semver.satisfies(node22, declared), `${node22} is declared (${declared})`);
    const minor = node22.split('.').slice(0, 2).join('.');
    assert.match(read('README.md'), new RegExp(`tested:[^\\n]*Node ${minor.replace('.', '\\.')}\\b`), `README's tested line names Node ${minor}`);
  });

  test('a package that wants a newer Node than declared is found', () => {
    const fake: Lock = {
      packages: {
        '': {},
        'node_modules/fine': { engines: { node: '>=18' } },
        'node_modules/old-style': { engines: ['node >= 0.4'] },
        'node_modules/jsdom': { engines: { node: '^20.19.0 || ^22.13.0 || >=24.0.0' } },
        'node_modules/a/node_modules/vite': { engines: { node: '>=22.12.0' } },
        'node_modules/odd': { engines: { node: 'not a range' } },
      },
    };
    assert.deepEqual(engineConflicts('^20.19.0 || ^22.13.0', fake), ['vite wants node >=22.12.0', 'odd wants node not a range']);
    assert.deepEqual(engineConflicts('>=20.19', fake), [
      'jsdom wants node ^20.19.0 || ^22.13.0 || >=24.0.0',
      'vite wants node >=22.12.0',
      'odd wants node not a range',
    ]);
  });
});
