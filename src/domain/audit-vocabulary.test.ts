import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, auditActionLabel } from './audit-vocabulary.ts';

/**
 * The audit screen once labelled actions nothing wrote and left real ones unlabelled
 * (docs/security.md, gap 3). The services' audit helpers take an `AuditAction`, so the compiler
 * holds most of them; services that append to the repository directly write a literal, which
 * only reading the source finds. So this reads src/server both ways: every action-shaped string
 * there has a label, and every labelled action is written somewhere.
 */

const SERVER = join(import.meta.dirname, '..', 'server');

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path, 'utf8') };
    });
}

const files = sources(SERVER);
/** The areas actions are named in (`user` of `user.create`); a literal `area.word` in src/server is an action. */
const areas = [...new Set(AUDIT_ACTIONS.filter((action) => action.includes('.')).map((action) => action.split('.')[0]!))];
const FILE_EXTENSIONS = new Set(['csv', 'ts', 'js', 'mjs', 'html', 'json', 'docx', 'xlsx', 'pdf', 'txt']);

describe('audit vocabulary', () => {
  it('every action-shaped string the server code holds (area.word) has a Chinese label', () => {
    const pattern = new RegExp(`['\`"]((?:${areas.join('|')})\\.[a-z_]+)['\`"]`, 'g');
    const unlabelled: string[] = [];
    let seen = 0;
    for (const { path, text } of files)
      for (const match of text.matchAll(pattern)) {
        const literal = match[1]!;
        if (FILE_EXTENSIONS.has(literal.split('.')[1]!)) continue; // a file name such as audit.csv
        seen += 1;
        if (!(literal in AUDIT_ACTION_LABELS)) unlabelled.push(`${literal} in ${path.slice(SERVER.length + 1)}`);
      }
    assert.ok(seen >= 25, `the scan finds the actions the services write (found ${seen}): has their spelling moved?`);
    assert.deepEqual(unlabelled, [], 'add these to AUDIT_ACTION_LABELS in src/domain/audit-vocabulary.ts');
  });

  it('every labelled action is written by the server code (no label for an action nothing writes)', () => {
    const all = files.map((file) => file.text).join('\n');
    const submissions = files.find((file) => file.path.endsWith('submission.service.ts'))!.text;
    const unwritten = AUDIT_ACTIONS.filter((action) => {
      if (new RegExp(`['\`]${action.replace('.', '\\.')}['\`]`).test(all)) return false;
      // submission.<transition> is written as `submission.${transition}`; the transitions are a typed union there.
      const [area, word] = action.split('.');
      if (area === 'submission' && /`submission\.\$\{transition\}`/.test(submissions) && new RegExp(`'${word}'`).test(submissions)) return false;
      return true;
    });
    assert.deepEqual(unwritten, [], 'labelled but written nowhere in src/server');
  });

  it('shows a known action with its name, an unknown one as stored', () => {
    assert.equal(auditActionLabel('user.role_change'), '变更角色（user.role_change）');
    assert.equal(auditActionLabel('auth.unlock'), '账号解锁（auth.unlock）');
    assert.equal(auditActionLabel('user.role'), 'user.role', 'an action nothing writes has no name');
    assert.equal(auditActionLabel('toString'), 'toString', 'an inherited property is no label');
  });
});
