import { Popover, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Finding } from '../../domain/insights/types.ts';
import { badgeLabel, findingSummary, needsAttention, placeLabel } from '../lib/findings.ts';

/** What the badge shows: the label, and how many when more than one. */
const visible = (label: string, group: Finding[]) => (group.length > 1 ? `${label} ×${group.length}` : label);

/** One badge: the detail opens on hover or click, and from the keyboard with Enter or Space (Esc closes it). */
function Badge({ label, group, insightsLink }: { label: string; group: Finding[]; insightsLink: string | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover
      title={label}
      trigger={['hover', 'click']}
      open={open}
      onOpenChange={setOpen}
      content={
        <div style={{ maxWidth: 420 }}>
          {group.map((finding, i) => (
            <Typography.Paragraph key={i} style={{ marginBottom: 6 }}>
              {placeLabel(finding.task)}
              {finding.unit ? ` ${finding.unit}` : ''}：{findingSummary(finding)}
            </Typography.Paragraph>
          ))}
          {insightsLink && <Link to={insightsLink}>在数据洞察页查看</Link>}
        </div>
      }
    >
      <Tag
        color={group.some(needsAttention) ? 'error' : 'default'}
        style={{ cursor: 'pointer', marginInlineEnd: 0 }}
        tabIndex={0}
        role="button"
        aria-expanded={open}
        aria-label={`${visible(label, group)}：${findingSummary(group[0]!)}`}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            setOpen(!open);
          } else if (event.key === 'Escape') setOpen(false);
        }}
      >
        {visible(label, group)}
      </Tag>
    </Popover>
  );
}

/**
 * Small badges beside an answer on the review screens: that answer's insight findings (数字不一致,
 * 沿用未更新, 无新内容, 指标滞后 …), the detail in a popover. Red for what needs the office's
 * attention, grey for the rest; nothing when the answer has no finding worth a badge.
 */
export function FindingBadges({ findings, insightsLink }: { findings: Finding[]; insightsLink?: string }) {
  const badges = new Map<string, Finding[]>();
  for (const finding of findings) {
    const label = badgeLabel(finding);
    if (label) badges.set(label, [...(badges.get(label) ?? []), finding]);
  }
  if (badges.size === 0) return null;
  return (
    <Space size={4} wrap aria-label="数据洞察提示">
      {[...badges].map(([label, group]) => (
        <Badge key={label} label={label} group={group} insightsLink={insightsLink} />
      ))}
    </Space>
  );
}
