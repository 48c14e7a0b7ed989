/**
 * Caps on what a .docx/.xlsx may make the server do (decision 008). A zip's central directory
 * declares every entry's sizes: the caps are checked against those numbers before anything is
 * inflated, and again against the bytes actually produced while inflating, since a header can lie.
 * The upload itself is capped by `ImportLimits.fileBytes` (src/domain/limits.ts).
 */
export const OoxmlLimits = {
  /** Word writes about 15 parts, Excel about 10 plus 2 per sheet; docs/promises.md (bad input 4) asks that 10,000+ be refused. */
  entries: 1_000,
  /** One part, inflated. Our own export of 10,000 tasks has a word/document.xml of 31 MB. */
  entryBytes: 128 * 1024 * 1024,
  /** All parts together, inflated. */
  totalBytes: 256 * 1024 * 1024,
  /**
   * Inflated ÷ compressed bytes of one part. Our exports' parts compress 8–19× (10,000 tasks), Office XML
   * rarely past 50×; deflate's own limit is 1,032×, which is what zip bombs use.
   */
  ratio: 300,
  /** Parts smaller than this are not held to the ratio (a 2 KB part of blanks can be 100× and harmless). */
  ratioFloorBytes: 1024 * 1024,
} as const;
