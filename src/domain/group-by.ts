/**
 * Items grouped by a key, each group in the items' order (Map.groupBy, which Node 20 lacks);
 * `value` keeps only what the groups need of each item (the item itself when omitted).
 */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]>;
export function groupBy<T, K, V>(items: Iterable<T>, key: (item: T) => K, value: (item: T) => V): Map<K, V[]>;
export function groupBy<T, K, V>(items: Iterable<T>, key: (item: T) => K, value?: (item: T) => V): Map<K, (T | V)[]> {
  const groups = new Map<K, (T | V)[]>();
  for (const item of items) {
    const entry = value ? value(item) : item;
    const group = groups.get(key(item));
    if (group) group.push(entry);
    else groups.set(key(item), [entry]);
  }
  return groups;
}
