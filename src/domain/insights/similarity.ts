/**
 * How alike two answers are once punctuation, spacing and dates are set aside (decision 032):
 * the Jaccard index of their character-bigram sets. Near-duplicates across a round are found
 * without comparing every pair: identical normalised texts are grouped by key, and the rest meet
 * as candidates through MinHash signatures banded into buckets (LSH), each candidate then checked
 * exactly.
 */

/** At or above this, an answer is the same as another (stale against last round, duplicate in this one). */
export const SAME_ANSWER = 0.9;
/** Normalised answers shorter than this are the same only when identical. */
export const SHORT_ANSWER = 8;

const DATES = new RegExp(
  [
    '\\d{4}\\s*年\\s*(?:\\d{1,2}\\s*[-—–~至到]\\s*)?\\d{1,2}\\s*月(?:\\s*\\d{1,2}\\s*日)?(?:份|底|初|中旬|上旬|下旬)?',
    '\\d{4}\\s*年(?:度|底|初)?(?:上半年|下半年|前三季度|第?[一二三四1-4]\\s*季度)?',
    '\\d{1,2}\\s*[-—–~至到]\\s*\\d{1,2}\\s*月(?:份)?',
    '\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日',
    '\\d{1,2}\\s*月(?:份|底|初|中旬|上旬|下旬)?',
    '第?[一二三四1-4]\\s*季度',
    '上半年|下半年|前三季度|全年',
    '截[至止](?:目前|今)?|目前|今年|去年|本季度|本月|近期|当前',
  ].join('|'),
  'g',
);
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** The text with dates, periods, punctuation and spacing taken out. */
export function normaliseForSimilarity(text: string): string {
  return text.replace(DATES, '').replace(NOT_WORD, '');
}

/**
 * Scratch space for bigrams: typed arrays are costly to allocate one per answer, so two buffers
 * are reused (grown when a longer answer comes) — nothing here outlives a call.
 */
let scratchA = new Uint32Array(1024);
let scratchB = new Uint32Array(1024);

/** The distinct character bigrams of a normalised text, sorted, in `into` (grown if short); returns the view. */
function bigramsInto(normalised: string, into: Uint32Array): Uint32Array {
  const n = Math.max(0, normalised.length - 1);
  for (let i = 0; i < n; i++) into[i] = normalised.charCodeAt(i) * 65536 + normalised.charCodeAt(i + 1);
  const all = into.subarray(0, n).sort();
  let unique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) all[unique++] = all[i]!;
  return all.subarray(0, unique);
}

function firstBigrams(normalised: string): Uint32Array {
  if (scratchA.length < normalised.length) scratchA = new Uint32Array(normalised.length * 2);
  return bigramsInto(normalised, scratchA);
}

function secondBigrams(normalised: string): Uint32Array {
  if (scratchB.length < normalised.length) scratchB = new Uint32Array(normalised.length * 2);
  return bigramsInto(normalised, scratchB);
}

/** Jaccard index of two sorted bigram arrays (a merge, no hashing). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

/** Similarity of two normalised texts: 1 when identical; short ones are 0 unless identical. */
export function similarityOf(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < SHORT_ANSWER || b.length < SHORT_ANSWER) return 0;
  return jaccard(firstBigrams(a), secondBigrams(b));
}

/** Shown similarity: two decimals, never rounded up to the next step. */
export function shownSimilarity(value: number): number {
  return value >= 1 ? 1 : Math.floor(value * 100) / 100;
}

// --- MinHash (one-permutation hashing) and LSH banding -------------------------------------

const BANDS = 12;
const ROWS = 5;
const SLOTS = BANDS * ROWS;
/** Earlier answers kept per bucket: a crowded bucket holds answers alike already, so the first few stand for it. */
const BUCKET_CAP = 8;

function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fixed-size MinHash signature: one hash per bigram, binned; empty bins borrow from the next. */
function signatureOf(bigrams: Uint32Array, into: Uint32Array): void {
  into.fill(0xffffffff);
  for (const x of bigrams) {
    const h = mix32(x ^ mix32(x >>> 16));
    const slot = h % SLOTS;
    const value = mix32(h ^ 0x9e3779b9);
    if (value < into[slot]!) into[slot] = value;
  }
  for (let i = 0; i < SLOTS; i++) {
    if (into[i] !== 0xffffffff) continue;
    for (let j = 1; j < SLOTS; j++) {
      const from = into[(i + j) % SLOTS]!;
      if (from !== 0xffffffff) {
        into[i] = mix32(from + j);
        break;
      }
    }
  }
}

export interface DuplicateCandidate {
  /** Normalised text (at least SHORT_ANSWER long). */
  text: string;
  /** The task it answers (pairs of the same task are not duplicates). */
  task: number;
}

/**
 * For each item (in the order given), the earliest earlier item of another task whose text is at
 * least SAME_ANSWER alike, found through LSH buckets and checked exactly; -1 where none.
 * Near-linear: each item meets at most BANDS × BUCKET_CAP candidates.
 */
export function nearDuplicates(items: DuplicateCandidate[], stats?: { comparisons: number }): { other: number; similarity: number }[] {
  // Buckets without an object per entry: a bucket is a chain of (item, band) entries in typed
  // arrays, keyed by a small-integer band hash; only its first BUCKET_CAP items are kept.
  const heads = new Map<number, number>();
  const entries = items.length * BANDS;
  const next = new Int32Array(entries).fill(-1);
  const tail = new Int32Array(entries);
  const size = new Uint8Array(entries);
  const signature = new Uint32Array(SLOTS);
  const keys = new Int32Array(BANDS);
  const out: { other: number; similarity: number }[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const bigrams = firstBigrams(item.text);
    signatureOf(bigrams, signature);
    let best = -1;
    let bestSimilarity = 0;
    for (let band = 0; band < BANDS; band++) {
      let h = mix32(band + 0x1234567);
      for (let row = 0; row < ROWS; row++) h = mix32(h ^ signature[band * ROWS + row]!);
      const key = h & 0x3fffffff;
      keys[band] = key;
      const head = heads.get(key);
      if (head === undefined) continue;
      for (let entry = head; entry !== -1; entry = next[entry]!) {
        const candidate = (entry / BANDS) | 0;
        if (best !== -1 && candidate >= best) continue;
        if (items[candidate]!.task === item.task) continue;
        if (stats) stats.comparisons++;
        // Recomputed, not kept: candidates are few, and keeping every answer's bigrams costs more.
        const similarity = jaccard(bigrams, secondBigrams(items[candidate]!.text));
        if (similarity >= SAME_ANSWER) {
          best = candidate;
          bestSimilarity = similarity;
        }
      }
    }
    out.push({ other: best, similarity: bestSimilarity });
    for (let band = 0; band < BANDS; band++) {
      const entry = index * BANDS + band;
      const head = heads.get(keys[band]!);
      if (head === undefined) {
        heads.set(keys[band]!, entry);
        tail[entry] = entry;
        size[entry] = 1;
      } else if (size[head]! < BUCKET_CAP) {
        next[tail[head]!] = entry;
        tail[head] = entry;
        size[head]!++;
      }
    }
  }
  return out;
}
