import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { anchorsOf, brokenLinks } from './doc-links.ts';

const repository = path.resolve(import.meta.dirname, '..');
const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A repository of a few files: README.md, docs/…, src/…. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'diaodu-doc-links-'));
  folders.push(root);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

describe('the docs stand alone (issue 17)', () => {
  test('every link in README.md and docs/ names a file of this repository that exists, and no doc cites a file the repository lacks', () => {
    assert.deepEqual(brokenLinks(repository), []);
  });

  test('a link outside the repository, to a missing file or heading, an absolute path, and a cited file the repository lacks are each named with file and line', () => {
    const root = tree({
      'README.md': '# diaodu\n\nSee [the promises](docs/promises.md) and [speed](docs/promises.md#speed).\n',
      'docs/promises.md': '# What diaodu promises\n\n## Speed\n',
      'docs/security.md': [
        '# Security',
        'As [the quality bar](../../shared/docs/QUALITY.md) says.', // 2: outside
        'The [old notes](notes.md).', // 3: no such file
        'The [root](/etc/passwd).', // 4: absolute
        'The [promise](promises.md#no-such-heading).', // 5: no heading
        'QUALITY.md asks for 30 minutes.', // 6: cited, not in the repository
        'Read ../shared/docs/PRODUCT.md first.', // 7: outside, and cited
        'Fine: [here](#security), [code](../src/a.ts), [web](https://example.org/x.md), `promises.md`.',
        '```',
        '[not a link in a code block](nowhere.md)',
        '```',
      ].join('\n'),
      'src/a.ts': '',
    });
    assert.deepEqual(
      brokenLinks(root).sort(),
      [
        'docs/security.md:2: ../../shared/docs/QUALITY.md — outside the repository',
        'docs/security.md:3: notes.md — no such file',
        'docs/security.md:4: /etc/passwd — an absolute path: link relative to the file',
        'docs/security.md:5: promises.md#no-such-heading — no heading #no-such-heading in docs/promises.md',
        'docs/security.md:6: QUALITY.md — the repository has no such file',
        'docs/security.md:7: ../shared/docs/PRODUCT.md — a path outside the repository',
        'docs/security.md:7: ../shared/docs/PRODUCT.md — the repository has no such file',
      ].sort(),
    );
  });

  test("headings give GitHub's anchors, Chinese kept, punctuation dropped, inline code's words kept, repeats numbered", () => {
    assert.deepEqual(
      [...anchorsOf('# 8. The promises, one by one\n## 考核（issue 15）\n## Notes\n## Notes\n## API (`npm run bench:api`)\n```\n# not a heading\n```\n')],
      ['8-the-promises-one-by-one', '考核issue-15', 'notes', 'notes-1', 'api-npm-run-benchapi'],
    );
  });
});
