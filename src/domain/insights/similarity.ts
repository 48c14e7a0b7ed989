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

/** A month or a day in Chinese numerals (六, 十二, 三十一). */
const CN_DAY = '(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])';
/** A year in Chinese numerals (二〇一七). */
const CN_YEAR = '[〇零一二三四五六七八九]{4}';
const DATES = new RegExp(
  [
    // 2017.6.30, 2017-06-30, 2017/6/30: only with the day (2017.6 may be an amount).
    '\\d{4}\\s*[./-]\\s*\\d{1,2}\\s*[./-]\\s*\\d{1,2}(?:\\s*日)?',
    '\\d{4}\\s*年\\s*(?:\\d{1,2}\\s*[-—–~至到、]\\s*)?\\d{1,2}\\s*月(?:\\s*\\d{1,2}\\s*日)?(?:份|底|初|中旬|上旬|下旬)?',
    '\\d{4}\\s*年(?:度|底|初)?(?:上半年|下半年|前三季度|第?[一二三四1-4]\\s*季度)?',
    `${CN_YEAR}年(?:${CN_DAY}月(?:${CN_DAY}日)?)?(?:份|底|初|中旬|上旬|下旬)?`,
    // 1-6 月, 8、9 月份
    '\\d{1,2}\\s*(?:[-—–~至到、]\\s*\\d{1,2}\\s*)+月(?:份)?',
    '\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日',
    '\\d{1,2}\\s*月(?:份|底|初|中旬|上旬|下旬)?',
    `${CN_DAY}(?:[至到、]${CN_DAY})*月(?:${CN_DAY}日|份|底|初|中旬|上旬|下旬)?`,
    '第?[一二三四1-4]\\s*季度',
    '上半年|下半年|前三季度|全年',
    '截[至止](?:到|至)?(?:目前|今)?|目前|今年|去年|本季度|本月|近期|当前',
  ].join('|'),
  'g',
);
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** The text with dates, periods, punctuation and spacing taken out; full-width forms as half-width (NFKC). */
export function normaliseForSimilarity(text: string): string {
  return text.normalize('NFKC').replace(DATES, '').replace(NOT_WORD, '');
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
 * Near-linear: each item meets at most BANDS × BUCKET_CAP candidates; each is counted once (however
 * many bands it shares), kept only when the sizes allow SAME_ANSWER, and checked from the earliest
 * until one matches.
 */
export function nearDuplicates(items: DuplicateCandidate[], stats?: { comparisons: number }): { other: number; similarity: number }[] {
  // Buckets without an object per entry: a bucket is a chain of (item, band) entries in typed
  // arrays, keyed by a small-integer band hash; only its first BUCKET_CAP items are kept.
  const entries = items.length * BANDS;
  // Bucket heads in an open-addressing table (band key → first entry), at most half full.
  let capacity = 1024;
  while (capacity < entries * 2) capacity *= 2;
  const mask = capacity - 1;
  const tableKeys = new Int32Array(capacity).fill(-1);
  const tableHeads = new Int32Array(capacity);
  /** The slot of `key`: where it is, or the empty slot where it goes. */
  const slotOf = (key: number) => {
    let slot = mix32(key) & mask;
    while (tableKeys[slot] !== -1 && tableKeys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  };
  const next = new Int32Array(entries).fill(-1);
  const tail = new Int32Array(entries);
  const size = new Uint8Array(entries);
  const signature = new Uint32Array(SLOTS);
  const keys = new Int32Array(BANDS);
  // Every item's bigrams once, end to end in one array (an item has fewer bigrams than characters):
  // a candidate met again is not split and sorted again.
  let total = 0;
  const taskOf = new Float64Array(items.length);
  items.forEach((item, index) => {
    total += item.text.length;
    taskOf[index] = item.task;
  });
  const all = new Uint32Array(total);
  const start = new Int32Array(items.length + 1);
  /** The item that last met a candidate: a candidate shared in several bands counts once. */
  const seenBy = new Int32Array(items.length).fill(-1);
  const metList = new Int32Array(BANDS * BUCKET_CAP);
  const out: { other: number; similarity: number }[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const bigrams = firstBigrams(item.text);
    all.set(bigrams, start[index]!);
    start[index + 1] = start[index]! + bigrams.length;
    signatureOf(bigrams, signature);
    const own = bigrams.length;
    // The candidates met in any band, each once, then checked from the earliest: the first at
    // SAME_ANSWER is the answer's match, and the later ones need no check.
    let met = 0;
    for (let band = 0; band < BANDS; band++) {
      let h = mix32(band + 0x1234567);
      for (let row = 0; row < ROWS; row++) h = mix32(h ^ signature[band * ROWS + row]!);
      const key = h & 0x3fffffff;
      keys[band] = key;
      const slot = slotOf(key);
      if (tableKeys[slot] === -1) continue;
      const head = tableHeads[slot]!;
      for (let entry = head; entry !== -1; entry = next[entry]!) {
        const candidate = (entry / BANDS) | 0;
        if (seenBy[candidate] === index) continue;
        seenBy[candidate] = index;
        if (taskOf[candidate] === item.task) continue;
        // Jaccard is at most the smaller set over the larger: too different in size, not the same answer.
        const theirs = start[candidate + 1]! - start[candidate]!;
        if (Math.min(own, theirs) < SAME_ANSWER * Math.max(own, theirs)) continue;
        metList[met++] = candidate;
      }
    }
    metList.subarray(0, met).sort();
    let best = -1;
    let bestSimilarity = 0;
    for (let i = 0; i < met && best === -1; i++) {
      const candidate = metList[i]!;
      if (stats) stats.comparisons++;
      const similarity = sameAnswerIn(all, start[index]!, start[index + 1]!, start[candidate]!, start[candidate + 1]!);
      if (similarity >= 0) {
        best = candidate;
        bestSimilarity = similarity;
      }
    }
    out.push({ other: best, similarity: bestSimilarity });
    for (let band = 0; band < BANDS; band++) {
      const entry = index * BANDS + band;
      const slot = slotOf(keys[band]!);
      if (tableKeys[slot] === -1) {
        tableKeys[slot] = keys[band]!;
        tableHeads[slot] = entry;
        tail[entry] = entry;
        size[entry] = 1;
        continue;
      }
      const head = tableHeads[slot]!;
      if (size[head]! < BUCKET_CAP) {
        next[tail[head]!] = entry;
        tail[head] = entry;
        size[head]!++;
      }
    }
  }
  return out;
}

/**
 * Jaccard index of two sorted runs of one array, [a, aEnd) and [b, bEnd), when it is at least
 * SAME_ANSWER; -1 as soon as it cannot be. Sets that alike leave few bigrams unmatched — at most
 * (|A| + |B|)(1 − t)/(1 + t), 5 of 90 — so an unlike candidate is given up after a few steps
 * instead of a full merge: exact, and most of the LSH's candidates are unlike.
 */
function sameAnswerIn(all: Uint32Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const sizes = aEnd - a + (bEnd - b);
  if (sizes === 0) return 1;
  const allowed = (sizes * (1 - SAME_ANSWER)) / (1 + SAME_ANSWER) + 1e-9;
  let unmatched = 0;
  let shared = 0;
  while (a < aEnd && b < bEnd) {
    const x = all[a]!;
    const y = all[b]!;
    if (x === y) {
      shared++;
      a++;
      b++;
      continue;
    }
    if (++unmatched > allowed) return -1;
    if (x < y) a++;
    else b++;
  }
  const similarity = shared / (sizes - shared);
  return similarity >= SAME_ANSWER ? similarity : -1;
}
