import type { DeliveryFailureView } from '../../domain/api/admin.ts';

type FailedRow = { unitId: number | null; userId: number | null; channel: string; lastError: string | null; failedAt: string };

/**
 * The admin's list of failing addresses (issue 16): one entry per unit or person and channel, from
 * their messages that failed for good since the last one that went through, oldest first: the
 * last failure's reason and time, and how many failed. Units first (by name), then people.
 */
export function presentDeliveryFailures(
  rows: readonly FailedRow[],
  unitNames: ReadonlyMap<number, string>,
  personNames: ReadonlyMap<number, string>,
): DeliveryFailureView[] {
  const byAddress = new Map<string, DeliveryFailureView>();
  for (const row of rows) {
    const key = `${row.unitId ?? ''}:${row.userId ?? ''}:${row.channel}`;
    const seen = byAddress.get(key);
    byAddress.set(key, {
      unitId: row.unitId,
      unitName: row.unitId === null ? null : (unitNames.get(row.unitId) ?? null),
      userId: row.userId,
      personName: row.userId === null ? null : (personNames.get(row.userId) ?? null),
      channel: row.channel as DeliveryFailureView['channel'],
      reason: row.lastError ?? '发送失败',
      failedAt: row.failedAt,
      failures: (seen?.failures ?? 0) + 1,
    });
  }
  const name = (view: DeliveryFailureView) => view.unitName ?? view.personName ?? '';
  return [...byAddress.values()].sort(
    (a, b) => Number(a.unitId === null) - Number(b.unitId === null) || name(a).localeCompare(name(b), 'zh-CN') || a.channel.localeCompare(b.channel),
  );
}
