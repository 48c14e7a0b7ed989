/**
 * A delivery worker in a process of its own, for tests that kill it with SIGKILL and run two of
 * them on one PostgreSQL (src/server/delivery/outbox.ts). Its e-mail channel hands each message to
 * the test's loopback HTTP recorder (`POST <recorder>` with the recipient and the subject), which
 * outlives the process; in `hang` mode a send never returns (the process dies mid-send). Every unit
 * has an e-mail address unit<id>@example.cn. Prints `READY` once it polls, `SENDING` when a send begins.
 *
 *   node --import tsx tests/integration/support/outbox-worker.ts <database-url> <recorder-url> <worker-id> <send|hang> <lease-ms>
 */
import { openDatabase } from '../../../src/server/db/database.ts';
import type { Channel, DeliveryAddress, DeliveryMessage, DeliveryResult } from '../../../src/server/delivery/channel.ts';
import { startDeliveryWorker } from '../../../src/server/delivery/outbox.ts';

const [url, recorder, workerId, mode, lease] = process.argv.slice(2);
if (!url || !recorder || !workerId || !mode || !lease)
  throw new Error('usage: outbox-worker.ts <database-url> <recorder-url> <worker-id> <send|hang> <lease-ms>');

const channel: Channel = {
  kind: 'email',
  async send(address: DeliveryAddress, message: DeliveryMessage): Promise<DeliveryResult> {
    process.stdout.write('SENDING\n');
    if (mode === 'hang') return new Promise<DeliveryResult>(() => undefined);
    const to = address.channel === 'email' ? address.to : '';
    const response = await fetch(recorder, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workerId, to, subject: message.subject }),
    });
    return response.ok ? { ok: true } : { ok: false, reason: `记录服务器答复${response.status}`, retry: true };
  },
};

const database = await openDatabase(url);
const worker = startDeliveryWorker({
  database,
  channels: new Map([['email', channel]]),
  workerId,
  timeZone: 'Asia/Shanghai',
  pollMs: 100,
  leaseMs: Number(lease),
  addressesOfUnit: async (_repositories, unitId) => [{ channel: 'email', address: JSON.stringify({ channel: 'email', to: `unit${unitId}@example.cn` }) }],
  onError: (error) => process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`),
});
process.stdout.write('READY\n');
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
process.stdin.on('end', () => process.exit(1));
process.stdin.resume();
