import { Fragment } from 'react';

/** Search snippets mark the match between \u0001 and \u0002; show it highlighted, never as HTML. */
export function Snippet({ text }: { text: string }) {
  const parts: { text: string; hit: boolean }[] = [];
  let rest = text;
  while (rest.length) {
    const start = rest.indexOf('\u0001');
    if (start < 0) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), hit: false });
    const end = rest.indexOf('\u0002', start + 1);
    const stop = end < 0 ? rest.length : end;
    parts.push({ text: rest.slice(start + 1, stop), hit: true });
    rest = end < 0 ? '' : rest.slice(end + 1);
  }
  return (
    <span>
      {parts.map((part, i) =>
        part.hit ? (
          <mark key={i} style={{ background: '#ffe58f', padding: '0 1px' }}>
            {part.text}
          </mark>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </span>
  );
}
