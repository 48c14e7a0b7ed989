import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';

/**
 * The compiler checks the web app's calls against the server's routes (issue 17, decision 041):
 * snippets using src/web/lib/api.ts are compiled with the web app's own compiler options. The
 * right one compiles; each wrong one (a path the server does not have, a body field it does not
 * take, an answer field it does not send …) fails with the one error expected, naming the mistake.
 */

const root = path.resolve(import.meta.dirname, '../../..');
const apiModule = path.join(root, 'src/web/lib/api.ts');

/** Each snippet's body, inside an async function; `api` is imported. */
const SNIPPETS = {
  right: `
    const round = await api.GET('/api/rounds/{roundId}', { params: { path: { roundId: 3 } } });
    const label: string = round.label;
    const rounds = await api.GET('/api/plans/{planId}/rounds', { params: { path: { planId: 1 }, query: { includeVoid: '1' } } });
    const created = await api.POST('/api/plans/{planId}/rounds', {
      params: { path: { planId: 1 } },
      body: { label: '2017年第三季度', periodStart: null, periodEnd: null, deadline: '2017-10-16T09:00:00.000Z', note: '', requiresApproval: false },
    });
    const saved = await api.PUT('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/answer', {
      params: { path: { roundId: 3, taskId: 4, unitId: 5 } },
      body: { text: '已完成', status: 'completed', reason: null, version: 2, copiedFromPrevious: false },
    });
    const session = await api.POST('/api/auth/login', { body: { username: 'office', password: 'x' }, allowUnauthenticated: true });
    const table = await api.upload('/api/rounds/{roundId}/units/{unitId}/returned-table', {
      params: { path: { roundId: 3, unitId: 5 }, query: { mode: 'apply' } },
      body: { expectedVersions: '{"4":2}', file: new File(['x'], '回传表.docx') },
    });
    return [label, rounds.length, created.id, saved.version, session.csrfToken, table.items.length];`,
  wrongPath: `
    return api.GET('/api/rounds/{roundId}/bord', { params: { path: { roundId: 3 } } });`,
  wrongMethod: `
    return api.DELETE('/api/rounds/{roundId}', { params: { path: { roundId: 3 } }, body: {} });`,
  missingPathParameter: `
    return api.GET('/api/rounds/{roundId}', { params: { path: {} } });`,
  wrongBodyField: `
    return api.POST('/api/auth/login', { body: { user: 'office', password: 'x' } });`,
  unknownOptionalBodyField: `
    return api.PUT('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/answer', {
      params: { path: { roundId: 3, taskId: 4, unitId: 5 } },
      body: { text: '已完成', copiedFromPrevous: true },
    });`,
  wrongBodyValue: `
    return api.PUT('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/answer', {
      params: { path: { roundId: 3, taskId: 4, unitId: 5 } },
      body: { text: '已完成', status: 'finished' },
    });`,
  wrongUploadField: `
    return api.upload('/api/rounds/{roundId}/units/{unitId}/returned-table', {
      params: { path: { roundId: 3, unitId: 5 }, query: { mode: 'apply' } },
      body: { expectedVersion: '{"4":2}', file: new File(['x'], '回传表.docx') },
    });`,
  uploadWithoutFile: `
    return api.upload('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/attachments', {
      params: { path: { roundId: 3, taskId: 4, unitId: 5 } },
      body: { file: '佐证.pdf' },
    });`,
  wrongAnswerField: `
    const round = await api.GET('/api/rounds/{roundId}', { params: { path: { roundId: 3 } } });
    return round.lable;`,
} as const;

type Name = keyof typeof SNIPPETS;

/** What each wrong snippet must fail with: the compiler's error code and words of its message. */
const EXPECTED: Record<Exclude<Name, 'right'>, { code: number; mentions: string[] }> = {
  wrongPath: { code: 2345, mentions: ['\'"/api/rounds/{roundId}/bord"\''] },
  wrongMethod: { code: 2345, mentions: ['\'"/api/rounds/{roundId}"\''] },
  missingPathParameter: { code: 2741, mentions: ["'roundId'"] },
  wrongBodyField: { code: 2353, mentions: ["'user'"] },
  unknownOptionalBodyField: { code: 2561, mentions: ["'copiedFromPrevous'", "'copiedFromPrevious'"] },
  wrongBodyValue: { code: 2322, mentions: ['"finished"'] },
  wrongUploadField: { code: 2561, mentions: ["'expectedVersion'", "'expectedVersions'"] },
  uploadWithoutFile: { code: 2322, mentions: ["Type 'string'", 'readonly size: number'] },
  wrongAnswerField: { code: 2551, mentions: ["'lable'", "'label'"] },
};

let folder = '';
const diagnostics = new Map<Name, { code: number; text: string; line: number }[]>();

/** Compiles every snippet in one program, once, and keeps each one's errors. */
function compileSnippets(): void {
  folder = mkdtempSync(path.join(tmpdir(), 'diaodu-api-types-'));
  const files = new Map<Name, string>();
  for (const [name, body] of Object.entries(SNIPPETS) as [Name, string][]) {
    const file = path.join(folder, `${name}.ts`);
    writeFileSync(file, `import { api } from ${JSON.stringify(apiModule)};\n\nexport async function ${name}() {${body}\n}\n`);
    files.set(name, file);
  }
  // The web app's compiler options (tsconfig.web.json), without vite's ambient types the snippets do not use.
  const config = ts.readConfigFile(path.join(root, 'tsconfig.web.json'), (file) => ts.sys.readFile(file));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram([...files.values()], { ...options, types: [], noEmit: true });
  for (const [name, file] of files) {
    const source = program.getSourceFile(file);
    assert.ok(source, file);
    diagnostics.set(
      name,
      [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((diagnostic) => ({
        code: diagnostic.code,
        text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        line: source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1,
      })),
    );
  }
}

after(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the typed client at compile time', () => {
  before(compileSnippets);

  it('compiles a call with the right path, parameters and body, reading fields the answer has', () => {
    assert.deepEqual(diagnostics.get('right'), []);
  });

  for (const [name, expected] of Object.entries(EXPECTED) as [Exclude<Name, 'right'>, (typeof EXPECTED)[Exclude<Name, 'right'>]][])
    it(`refuses ${name} with error TS${expected.code}`, () => {
      const found = diagnostics.get(name) ?? [];
      assert.equal(found.length, 1, JSON.stringify(found, null, 2));
      assert.equal(found[0]!.code, expected.code, found[0]!.text);
      for (const words of expected.mentions) assert.ok(found[0]!.text.includes(words), `“${words}” in: ${found[0]!.text}`);
    });
});
