import { Button } from 'antd';
import { useState } from 'react';

/**
 * Long Chinese paragraphs cut to a few lines with a toggle. CSS line clamping, no measuring,
 * so a plan of hundreds of tasks renders quickly; the toggle appears only for long texts.
 */
export function ClampText({ text, lines = 3, threshold = 120, empty = '—' }: { text: string; lines?: number; threshold?: number; empty?: string }) {
  const [open, setOpen] = useState(false);
  if (!text) return <span style={{ color: 'rgba(0, 0, 0, 0.56)' }}>{empty}</span>;
  const long = text.length > threshold;
  return (
    <div>
      <div
        className="prose"
        style={long && !open ? { display: '-webkit-box', WebkitLineClamp: lines, WebkitBoxOrient: 'vertical', overflow: 'hidden' } : undefined}
      >
        {text}
      </div>
      {long && (
        <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? '收起' : '展开全文'}
        </Button>
      )}
    </div>
  );
}
