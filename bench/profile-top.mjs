#!/usr/bin/env node
/**
 * The top frames of a V8 CPU profile (`node --cpu-prof`, or `npm run bench:api -- --profile DIR`):
 * self time per function and total (inclusive) time per function, as shares of the samples.
 *
 *   node bench/profile-top.mjs FILE.cpuprofile [--top N] [--match TEXT]
 *
 * `--match TEXT` keeps only functions whose name or file contains TEXT (for example `kysely`).
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 40;
const matchAt = args.indexOf('--match');
const match = matchAt >= 0 ? args[matchAt + 1] : null;
if (!file) {
  console.error('usage: node bench/profile-top.mjs FILE.cpuprofile [--top N] [--match TEXT]');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const total = profile.samples.length;

const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map();
const inclusive = new Map();
for (const [id, count] of hits) {
  const name = label(byId.get(id));
  self.set(name, (self.get(name) ?? 0) + count);
  // Each function counted once per sample, however deep the recursion.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const frame = label(byId.get(at));
    if (seen.has(frame)) continue;
    seen.add(frame);
    inclusive.set(frame, (inclusive.get(frame) ?? 0) + count);
  }
}
const show = (title, map) => {
  console.log(`\n${title} (${total} samples)`);
  [...map]
    .filter(([name]) => !match || name.includes(match))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([name, count]) => console.log(`${((count / total) * 100).toFixed(1).padStart(6)}%  ${name}`));
};
show('self time', self);
show('total time', inclusive);
