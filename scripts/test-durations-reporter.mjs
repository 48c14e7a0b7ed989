// A node:test reporter used by scripts/run-tests.mjs: it writes one JSON object, each test file's
// time (the sum of its top-level tests' durations, in ms), so the next run can start the longest
// files first. Plain JavaScript: node loads reporters before tsx could compile them.
export default async function* durations(source) {
  const byFile = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      byFile[event.data.file] = (byFile[event.data.file] ?? 0) + (event.data.details?.duration_ms ?? 0);
    }
  }
  yield `${JSON.stringify(byFile)}\n`;
}
