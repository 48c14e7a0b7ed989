/** Makes `root`'s node_modules/.bin/diaodu a relative link to bin/diaodu.js (replacing whatever was there); returns the link's path. */
export function linkCli(root?: string): string;
