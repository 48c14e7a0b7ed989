import { hostname } from 'node:os';
import type { Config } from '../config.ts';
import type { Directory } from '../organisations/directory.ts';
import type { DeliveryChannels } from './channels/index.ts';
import type { Channel, ChannelKind } from './channel.ts';
import { startDeliveryWorker, type DeliveryWorker } from './outbox.ts';

/**
 * One delivery worker per organisation's store (decision 028: each store has its own outbox), for
 * the server process (`main.ts`; the app built by tests has none). Organisations created while the
 * server runs get theirs at the next look at the directory. `workerId` names this process, so two
 * servers on one PostgreSQL claim rows apart.
 */
export type DeliveryWorkersOptions = {
  directory: Directory;
  config: Config;
  channels: DeliveryChannels;
  workerId?: string;
  pollMs?: number;
  /** How often the directory is read again for new organisations (default 60 s). */
  rescanMs?: number;
  onError?: (organisationCode: string, error: unknown) => void;
};

export type DeliveryWorkers = {
  /** The organisations (by id) whose store has a worker now. */
  organisations(): number[];
  stop(): Promise<void>;
};

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}`;
}

export async function startDeliveryWorkers(options: DeliveryWorkersOptions): Promise<DeliveryWorkers> {
  const { directory, config, channels } = options;
  const workerId = options.workerId ?? defaultWorkerId();
  const channelMap = new Map<ChannelKind, Channel>(channels.kinds.map((kind) => [kind, channels.get(kind)!]));
  const workers = new Map<number, DeliveryWorker>();
  let stopped = false;

  async function scan(): Promise<void> {
    for (const organisation of await directory.list()) {
      if (stopped || workers.has(organisation.id)) continue;
      const [database, services] = await Promise.all([directory.databaseOf(organisation.id), directory.servicesOf(organisation.id)]);
      if (stopped) return;
      workers.set(
        organisation.id,
        startDeliveryWorker({
          database,
          channels: channelMap,
          workerId,
          timeZone: config.timeZone,
          publicUrl: config.delivery.publicUrl,
          keepDays: config.outboxKeepDays,
          addressesOfUnit: services.deliveryAddresses.outboxAddressesOfUnit,
          openAddress: services.deliveryAddresses.openOutboxAddress,
          ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
          onError: (error) => options.onError?.(organisation.code, error),
        }),
      );
    }
  }

  await scan();
  const rescanMs = options.rescanMs ?? 60_000;
  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    timer = setTimeout(() => {
      scan()
        .catch((error: unknown) => options.onError?.('directory', error))
        .finally(() => {
          if (!stopped) loop();
        });
    }, rescanMs);
  };
  loop();

  return {
    organisations: () => [...workers.keys()],
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
      workers.clear();
    },
  };
}
