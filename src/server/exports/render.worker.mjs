// The render worker's entry, in plain JavaScript. A worker thread does not inherit the TypeScript
// loader: on Node 20 neither `node --import tsx` (npm run dev, the test runner) nor the `register()`
// of bin/diaodu.js reaches it, and a `.ts` entry fails with "Unknown file extension". So the
// worker registers tsx itself, then loads the TypeScript body. Decision 012. Compiled (dist/, decision
// 039) the pool starts render.worker.js directly and this shim is not used.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
