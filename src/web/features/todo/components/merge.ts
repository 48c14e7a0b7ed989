/**
 * The text 编辑合并 starts from after a 409: the user's own text when it already holds the server's
 * (they typed on from it), otherwise the server's text above theirs, so neither is lost and the
 * user deletes what should go. An empty side adds no blank line.
 */
export function mergeStart(stored: string, mine: string): string {
  if (mine.includes(stored)) return mine;
  return mine === '' ? stored : `${stored}\n${mine}`;
}
