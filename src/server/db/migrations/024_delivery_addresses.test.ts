import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { person } from '../../../../tests/support/people.ts';
import { createRepositories } from '../repositories/index.ts';
import { down, up } from './024_delivery_addresses.ts';

forEachEngine('migration 024 (delivery addresses)', (it) => {
  it('goes down and up again; one address row per unit and per person, replaced by a put; the outbox view opens sealed values', async (database) => {
    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const tables = async () => (await tablesHere(db)).map((table) => table.name);
    assert.ok(!(await tables()).includes('unit_addresses'));
    assert.ok(!(await tables()).includes('user_delivery'));
    await up(db);
    const repositories = createRepositories(database.db);
    const unitId = await repositories.organisation.insertUnit('测试处', null, '2017-10-01T00:00:00.000Z');
    const addresses = repositories.deliveryAddresses;
    assert.equal(await addresses.findUnitAddress(unitId), null);
    await addresses.putUnitAddress(unitId, { email: 'a@example.gov.cn', webhook: null }, '2017-10-01T00:00:00.000Z');
    await addresses.putUnitAddress(
      unitId,
      { email: 'b@example.gov.cn', webhook: { kind: 'dingtalk', host: 'oapi.dingtalk.com', sealedUrl: 'S:url', sealedSecret: 'S:secret' } },
      '2017-10-02T00:00:00.000Z',
    );
    assert.equal((await database.db.selectFrom('unit_addresses').selectAll().execute()).length, 1, 'an upsert: one row per unit');
    const opened = await addresses.deliveryAddressesOfUnits([unitId], (sealed) => sealed.replace(/^S:/, 'opened-'));
    assert.deepEqual(opened.get(unitId), [
      { channel: 'email', to: 'b@example.gov.cn' },
      { channel: 'dingtalk', url: 'opened-url', secret: 'opened-secret' },
    ]);
    assert.deepEqual(await addresses.deliveryAddressesOfUnits([], String), new Map());
    const { userId } = await person(database, 'reporter', { unitId });
    assert.equal(await addresses.findUserDelivery(userId), null);
    await addresses.putUserDelivery(userId, { email: 'p@example.gov.cn', emailEnabled: true }, '2017-10-01T00:00:00.000Z');
    await addresses.putUserDelivery(userId, { email: 'q@example.gov.cn', emailEnabled: false }, '2017-10-02T00:00:00.000Z');
    assert.deepEqual(await addresses.findUserDelivery(userId), { email: 'q@example.gov.cn', emailEnabled: false });
    assert.deepEqual((await addresses.deliveryAddressesOfUsers([userId])).get(userId), [], 'e-mail set but 邮件提醒 off: nothing');
    await addresses.putUserDelivery(userId, { email: 'q@example.gov.cn', emailEnabled: true }, '2017-10-03T00:00:00.000Z');
    assert.deepEqual((await addresses.deliveryAddressesOfUsers([userId])).get(userId), [{ channel: 'email', to: 'q@example.gov.cn' }]);
  });
});
