import assert from 'node:assert/strict';
import { after } from 'node:test';
import type { UnitView } from '../../src/domain/api/admin.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { createDeliveryChannels } from '../../src/server/delivery/channels/index.ts';
import { enqueueIn } from '../../src/server/delivery/outbox.ts';
import { startDeliveryWorkers } from '../../src/server/delivery/workers.ts';
import { forEachEngine } from '../support/databases.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Issue 16, the workers as main.ts starts them: one per organisation's store, with the real
 * channels; 催办 set through the API arrives at a real SMTP server on loopback, and a message in
 * the second organisation's store goes out too. Stopping them ends the polling.
 */

// Started as the file loads, not in a top-level `before`: the file shares its process with others (scripts/run-tests.mjs).
const smtp = await startSmtpReceiver();
after(() => smtp.close());

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

forEachEngine('delivery workers', (it) => {
  it('a worker per organisation sends 催办 by e-mail through the real SMTP channel, and the second store’s messages too', async (database) => {
    smtp.received.length = 0;
    const base = loadConfig({});
    const config = {
      ...base,
      delivery: { ...base.delivery, smtpUrl: `smtp://127.0.0.1:${smtp.port}`, mailFrom: 'diaodu@example.gov.cn', publicUrl: 'https://diaodu.example.gov.cn' },
    };
    const server = await createTestServer(database, { config, demoCity: true });
    const channels = createDeliveryChannels(config.delivery);
    const errors: string[] = [];
    const workers = await startDeliveryWorkers({
      directory: server.directory,
      config: server.config,
      channels,
      workerId: 'test-worker',
      pollMs: 100,
      onError: (code, error) => errors.push(`${code}: ${String(error)}`),
    });
    try {
      const city = await server.organisation('demo-city');
      assert.deepEqual(workers.organisations().sort(), [1, city.id].sort(), 'one worker per store');

      const cityUnit = Number((await city.database.db.selectFrom('units').select('id').executeTakeFirstOrThrow()).id);
      const sysadmin = await server.as('sysadmin');
      const office = await server.as('office');
      const unit = (await sysadmin.get<UnitView[]>('/api/admin/units')).body.find((u) => u.name === '环评处')!;
      assert.equal((await sysadmin.put(`/api/admin/units/${unit.id}`, { email: 'huanping@example.gov.cn' })).status, 200);
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const roundId = (await office.post(`/api/plans/${planId}/rounds`, { label: '送达测试', deadline: '2099-01-01' })).body.id as number;
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${unit.id}/reminders`, { message: '请今天提交。' })).status, 201);

      const mail = await until('the 催办 e-mail', () => smtp.received.find((m) => m.to.includes('huanping@example.gov.cn')));
      assert.match(mail.raw, /Subject: =\?UTF-8\?/i);
      const row = await until('the outbox row sent', async () => {
        const r = await database.db.selectFrom('outbox').selectAll().where('round_id', '=', roundId).executeTakeFirst();
        return r?.state === 'sent' ? r : undefined;
      });
      assert.equal(row.channel, 'email');

      // The city's store has its own outbox and its own worker.
      await enqueueIn(
        createRepositories(city.database.db),
        [
          {
            event: 'notice_issued',
            roundId: null,
            recipient: { unitId: cityUnit },
            channel: 'email',
            address: JSON.stringify({ channel: 'email', to: 'city@example.gov.cn' }),
            message: { subject: '市局通知', body: '通知已印发。', link: null },
            dedupeKey: 'city-test',
          },
        ],
        new Date(),
      );
      await until('the city e-mail', () => smtp.received.find((m) => m.to.includes('city@example.gov.cn')));
      assert.deepEqual(errors, []);
    } finally {
      await workers.stop();
      channels.close();
      await server.close();
    }
  });
});
