import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The docs stand alone (issue 17): every link in README.md and in docs/ names a file of this
 * repository that exists, and an anchor into a Markdown file names one of its headings. A link
 * that leaves the repository (`../shared/docs/QUALITY.md`, an absolute path) or names a file a
 * clone does not have is a broken promise of the docs. Web addresses (http:, https:, mailto:)
 * are not followed. Plain-text citations count too, as a reader cannot follow them either: a
 * path outside the repository (`../shared/…`, `/work/…`), or a Markdown file named in the text
 * (`QUALITY.md`) that the repository does not have anywhere.
 *
 *   node --import tsx scripts/doc-links.ts      prints the broken links, exits 1 if any
 */

/** The Markdown files whose links are checked: README.md and everything under docs/. */
export function documentsOf(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) found.push(full);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk(path.join(root, 'docs'));
  if (existsSync(path.join(root, 'README.md'))) found.push(path.join(root, 'README.md'));
  return found.sort();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (letters of any script kept), spaces to hyphens. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings, duplicates numbered as GitHub numbers them. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  // A line of a fenced block is not a heading; a heading's inline code is part of its anchor.
  for (const [index, blanked] of withoutCode(text).split('\n').entries()) {
    if (!/^#{1,6}\s/.test(blanked)) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[index]!);
    if (!heading) continue;
    const slug = slugOf(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The text with fenced code blocks and inline code blanked (lines kept, so line numbers stay). */
function withoutCode(text: string): string {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

/** Link targets of a Markdown text with their line numbers: inline links and images, and reference definitions. */
function linksOf(text: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  withoutCode(text)
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1]! });
      const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
      if (definition) links.push({ line: index + 1, target: definition[1]! });
    });
  return links;
}

/** Mentions of a path outside the repository in the text (code included: a command that reads `../shared` is one too). */
const OUTSIDE = /(?:^|[\s(`'"])((?:\.\.\/)+shared\/\S*|\/work\/\S*)/g;

/** The names of the repository's Markdown files (node_modules, .git and build output left out). */
function markdownNamesOf(root: string): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!['node_modules', '.git', 'dist', 'build'].includes(entry.name)) walk(path.join(folder, entry.name));
      } else if (entry.name.endsWith('.md')) names.add(entry.name);
    }
  };
  walk(root);
  return names;
}

/** A Markdown file named in running text or code: `QUALITY.md`, `docs/benchmarks.md`. */
const NAMED_MARKDOWN = /(?<![\w./-])((?:[\w.-]+\/)*([\w-][\w.-]*\.md))(?![\w])/g;

/** Every broken link of the docs under root, as `file:line: target — why`. */
export function brokenLinks(root: string): string[] {
  const broken: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
    return anchorCache.get(file)!;
  };
  const rootReal = path.resolve(root);
  const markdownNames = markdownNamesOf(root);
  for (const document of documentsOf(root)) {
    const text = readFileSync(document, 'utf8');
    const where = (line: number) => `${path.relative(root, document)}:${line}`;
    text.split('\n').forEach((line, index) => {
      // Link targets are checked below, as links.
      const prose = line.replace(/\]\([^)]*\)/g, ']');
      for (const match of prose.matchAll(OUTSIDE)) broken.push(`${where(index + 1)}: ${match[1]} — a path outside the repository`);
      for (const match of prose.matchAll(NAMED_MARKDOWN))
        if (!markdownNames.has(match[2]!)) broken.push(`${where(index + 1)}: ${match[1]} — the repository has no such file`);
    });
    for (const { line, target } of linksOf(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const [filePart = '', fragment] = target.split('#', 2) as [string, string | undefined];
      const decoded = decodeURIComponent(filePart);
      if (decoded.startsWith('/')) {
        broken.push(`${where(line)}: ${target} — an absolute path: link relative to the file`);
        continue;
      }
      const resolved = decoded === '' ? document : path.resolve(path.dirname(document), decoded);
      if (resolved !== rootReal && !resolved.startsWith(rootReal + path.sep)) {
        broken.push(`${where(line)}: ${target} — outside the repository`);
        continue;
      }
      if (!existsSync(resolved)) {
        broken.push(`${where(line)}: ${target} — no such file`);
        continue;
      }
      if (
        fragment !== undefined &&
        resolved.endsWith('.md') &&
        statSync(resolved).isFile() &&
        !anchors(resolved).has(decodeURIComponent(fragment).toLowerCase())
      )
        broken.push(`${where(line)}: ${target} — no heading #${fragment} in ${path.relative(root, resolved)}`);
    }
  }
  return broken;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const broken = brokenLinks(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..'));
  for (const line of broken) console.error(line);
  if (broken.length) process.exit(1);
  console.log('doc-links: every link in README.md and docs/ names a file of the repository');
}
