import { Space, Tag, Tooltip, Typography } from 'antd';
import type { DeliveryChannelStateView, DeliveryState } from '../../../../domain/api/round-view.ts';
import { DELIVERY_CHANNEL_LABELS, DELIVERY_CHANNELS } from '../../../../domain/delivery-addresses.ts';
import { formatDateTime } from '../../../lib/format.ts';

const WORDS: Record<DeliveryState, string> = { sent: '已发送', queued: '待发送', failed: '发送失败' };
const COLOURS: Record<DeliveryState, string | undefined> = { sent: 'green', queued: 'blue', failed: 'red' };
const ORDER: DeliveryState[] = ['failed', 'queued', 'sent'];

const byChannel = (a: DeliveryChannelStateView, b: DeliveryChannelStateView) => DELIVERY_CHANNELS.indexOf(a.channel) - DELIVERY_CHANNELS.indexOf(b.channel);

/** One line per channel for the tooltip: 邮件：2017年10月16日 17:00 发送 / 失败原因. */
function detail(channel: DeliveryChannelStateView): string {
  const name = DELIVERY_CHANNEL_LABELS[channel.channel];
  if (channel.state === 'sent') return `${name}：${formatDateTime(channel.at)} 已发送`;
  if (channel.state === 'failed') return `${name}：${channel.reason ?? '发送失败'}`;
  return channel.reason ? `${name}：正在重试，上次未成功：${channel.reason}` : `${name}：${formatDateTime(channel.at)} 起等待发送`;
}

/**
 * What went out to a unit beyond the app (issue 16), by state: 已发送（邮件、企业微信）, 待发送（…）,
 * and a red 发送失败（邮件） whose reason is in the tooltip (the tag takes the focus, so a keyboard
 * reaches it too). Nothing for a unit no message went to.
 */
export function DeliveryCell({ channels }: { channels: readonly DeliveryChannelStateView[] | undefined }) {
  if (!channels?.length) return <Typography.Text type="secondary">—</Typography.Text>;
  const groups = ORDER.map((state) => ({ state, channels: channels.filter((c) => c.state === state).sort(byChannel) })).filter((g) => g.channels.length > 0);
  return (
    <Space size={[2, 4]} wrap>
      {groups.map(({ state, channels: group }) => {
        const text = `${WORDS[state]}（${group.map((c) => DELIVERY_CHANNEL_LABELS[c.channel]).join('、')}）`;
        const lines = group.map(detail);
        return (
          <Tooltip
            key={state}
            title={lines.map((line) => (
              <div key={line}>{line}</div>
            ))}
          >
            <Tag color={COLOURS[state]} tabIndex={0} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
              {text}
            </Tag>
          </Tooltip>
        );
      })}
    </Space>
  );
}
