import type { TrafficLight as Light } from '../../domain/api/round-view.ts';
import { TRAFFIC_LIGHT_LABELS } from '../lib/labels.ts';

const COLORS: Record<Light, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', grey: '#bfbfbf' };
const SHORT: Record<Light, string> = { green: '绿', yellow: '黄', red: '红', grey: '灰' };

/** A coloured light with its meaning in words: colour alone is not enough to read it. */
export function TrafficLight({ light, showText = true }: { light: Light; showText?: boolean }) {
  return (
    <span
      role="img"
      aria-label={TRAFFIC_LIGHT_LABELS[light]}
      title={TRAFFIC_LIGHT_LABELS[light]}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}
    >
      <span
        aria-hidden
        style={{
          display: 'inline-block',
          width: 14,
          height: 14,
          borderRadius: '50%',
          background: COLORS[light],
          boxShadow: `0 0 0 3px ${COLORS[light]}33`,
        }}
      />
      {showText && <span>{SHORT[light]}灯</span>}
    </span>
  );
}

export const TRAFFIC_LIGHT_COLORS = COLORS;
