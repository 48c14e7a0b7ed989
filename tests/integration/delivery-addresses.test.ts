import assert from 'node:assert/strict';
import type { UnitView } from '../../src/domain/api/admin.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Issue 16, addresses: a unit's e-mail and group robot set by the system admin where its phone is,
 * a person's own e-mail and 邮件提醒; the robot's URL (it carries the key) and its signing secret are
 * sealed at rest and never leave the server — not in an answer, not in an audit row.
 */

const KEY = 'a1'.repeat(32);
const ROBOT_KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const WECOM_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${ROBOT_KEY}`;
const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-0123456789';
const DING_SECRET = 'SECf0e1d2c3b4a5968778695a4b3c2d1e0f';

forEachEngine('delivery addresses', (it) => {
  it('the system admin sets a unit’s e-mail and robot; URL and secret sealed, never returned nor audited; the outbox reads them opened', async (database) => {
    const server = await createTestServer(database, { config: { totpKey: KEY } });
    try {
      const sysadmin = await server.as('sysadmin');
      const units = (await sysadmin.get<UnitView[]>('/api/admin/units')).body;
      const unit = units.find((u) => u.name === '环评处')!;
      assert.equal(unit.email, null);
      assert.equal(unit.webhook, null);

      // Bad input: each refused with its field named, in Chinese, and nothing stored.
      const bad: [unknown, string, RegExp][] = [
        [{ email: 'not-an-address' }, 'email', /电子邮箱格式不正确/],
        [{ webhook: { kind: 'wechat', url: WECOM_URL } }, 'webhook.kind', /机器人类型须为/],
        [{ webhook: { kind: 'wecom', url: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x' } }, 'webhook.url', /https:\/\//],
        [{ webhook: { kind: 'wecom', url: 'not a url' } }, 'webhook.url', /不是有效的网址/],
        [{ webhook: { kind: 'wecom' } }, 'webhook.url', /请填写机器人地址/],
        [{ webhook: { kind: 'dingtalk', url: DING_URL, secret: 'x'.repeat(201) } }, 'webhook.secret', /签名密钥最多/],
      ];
      for (const [body, field, message] of bad) {
        const refused = await sysadmin.put(`/api/admin/units/${unit.id}`, body);
        assert.equal(refused.status, 422, `${JSON.stringify(body)}: ${refused.text}`);
        assert.equal(refused.body.error.details.field, field, refused.text);
        assert.match(refused.body.error.message, message);
      }
      assert.equal(await database.db.selectFrom('unit_addresses').selectAll().executeTakeFirst(), undefined, 'nothing stored by a refused change');

      // Permissions: only the system admin (who owns units) sets them.
      for (const who of ['office', 'huanping', 'secadmin']) {
        const denied = await (await server.as(who)).put(`/api/admin/units/${unit.id}`, { email: 'x@example.gov.cn' });
        assert.equal(denied.status, 403, `${who}: ${denied.text}`);
      }

      const set = await sysadmin.put<UnitView>(`/api/admin/units/${unit.id}`, {
        email: ' huanping@example.gov.cn ',
        webhook: { kind: 'wecom', url: WECOM_URL },
      });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.body.email, 'huanping@example.gov.cn');
      assert.deepEqual(set.body.webhook, { kind: 'wecom', host: 'qyapi.weixin.qq.com', hasSecret: false });
      assert.equal(set.body.phone, unit.phone, 'the phone left out stays');

      // A 钉钉 robot with its secret; then only the kind-less change of e-mail keeps URL and secret.
      const ding = await sysadmin.put<UnitView>(`/api/admin/units/${unit.id}`, { webhook: { kind: 'dingtalk', url: DING_URL, secret: DING_SECRET } });
      assert.deepEqual(ding.body.webhook, { kind: 'dingtalk', host: 'oapi.dingtalk.com', hasSecret: true });
      const phoneOnly = await sysadmin.put<UnitView>(`/api/admin/units/${unit.id}`, { phone: '010-12345678' });
      assert.equal(phoneOnly.body.phone, '010-12345678');
      assert.deepEqual(phoneOnly.body.webhook, { kind: 'dingtalk', host: 'oapi.dingtalk.com', hasSecret: true });
      assert.equal(phoneOnly.body.email, 'huanping@example.gov.cn');

      // The same e-mail sent again changes nothing and writes no audit row.
      const auditRows = async () => (await database.db.selectFrom('audit_events').select('id').where('action', '=', 'unit.update').execute()).length;
      const rowsBefore = await auditRows();
      assert.equal((await sysadmin.put(`/api/admin/units/${unit.id}`, { email: 'huanping@example.gov.cn' })).status, 200);
      assert.equal(await auditRows(), rowsBefore);

      // At rest: sealed (AES-256-GCM), the key and the secret nowhere in the raw row.
      const raw = await database.db.selectFrom('unit_addresses').selectAll().where('unit_id', '=', unit.id).executeTakeFirstOrThrow();
      assert.match(raw.webhook_url ?? '', /^gcm1:/);
      assert.match(raw.webhook_secret ?? '', /^gcm1:/);
      assert.equal(raw.webhook_host, 'oapi.dingtalk.com');
      const rawText = JSON.stringify(raw);
      for (const secret of ['ding-token', DING_SECRET, ROBOT_KEY]) assert.ok(!rawText.includes(secret), `${secret} at rest`);

      // Never in an answer, nor an audit row.
      const listed = await sysadmin.get('/api/admin/units');
      const audit = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'unit.update').execute();
      assert.ok(audit.length >= 3, 'every change audited');
      for (const text of [listed.text, set.text, ding.text, JSON.stringify(audit)]) {
        for (const secret of ['ding-token', DING_SECRET, ROBOT_KEY, 'access_token', 'key='])
          assert.ok(!text.includes(secret), `${secret} leaked: ${text.slice(0, 300)}`);
      }
      const dingAudit = audit.map((row) => JSON.parse(row.detail ?? '{}')).find((detail) => detail.webhook?.kind === 'dingtalk');
      assert.deepEqual(dingAudit.webhook, { kind: 'dingtalk', host: 'oapi.dingtalk.com', kindChanged: true, urlChanged: true, secretChanged: true });

      // The outbox's view: opened, per unit; a unit without addresses gets none.
      const other = units.find((u) => u.name !== '环评处' && !u.collective)!;
      const addresses = await server.services.deliveryAddresses.deliveryAddressesOfUnits([unit.id, other.id]);
      assert.deepEqual(addresses.get(unit.id), [
        { channel: 'email', to: 'huanping@example.gov.cn' },
        { channel: 'dingtalk', url: DING_URL, secret: DING_SECRET },
      ]);
      assert.deepEqual(addresses.get(other.id), []);

      // Removing: null clears the e-mail and the robot.
      const cleared = await sysadmin.put<UnitView>(`/api/admin/units/${unit.id}`, { email: null, webhook: null });
      assert.equal(cleared.body.email, null);
      assert.equal(cleared.body.webhook, null);
      assert.deepEqual((await server.services.deliveryAddresses.deliveryAddressesOfUnits([unit.id])).get(unit.id), []);
      // A test robot on this machine may be plain http.
      const local = await sysadmin.put<UnitView>(`/api/admin/units/${unit.id}`, { webhook: { kind: 'feishu', url: 'http://127.0.0.1:9/hook' } });
      assert.equal(local.status, 200, local.text);
    } finally {
      await server.close();
    }
  });

  it('a person sets their own e-mail and 邮件提醒; without a key the robot is stored unsealed; a bad e-mail is refused', async (database) => {
    const server = await createTestServer(database, { config: { totpKey: null } });
    try {
      const huanping = await server.as('huanping');
      assert.deepEqual((await huanping.get('/api/me/delivery')).body, { email: null, emailEnabled: false });
      const bad = await huanping.put('/api/me/delivery', { email: 'zhang@', emailEnabled: true });
      assert.equal(bad.status, 422, bad.text);
      assert.equal(bad.body.error.details.field, 'email');
      const noEmail = await huanping.put('/api/me/delivery', { email: null, emailEnabled: true });
      assert.equal(noEmail.status, 422, noEmail.text);
      assert.match(noEmail.body.error.message, /须先填写电子邮箱/);
      const saved = await huanping.put('/api/me/delivery', { email: 'zhangmin@example.gov.cn', emailEnabled: true });
      assert.equal(saved.status, 200, saved.text);
      assert.deepEqual((await huanping.get('/api/me/delivery')).body, { email: 'zhangmin@example.gov.cn', emailEnabled: true });
      // Each person their own: another sees theirs, not this one's.
      assert.deepEqual((await (await server.as('guicai')).get('/api/me/delivery')).body, { email: null, emailEnabled: false });
      const audit = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.delivery').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_name, 'huanping');
      assert.equal((await server.anonymous().get('/api/me/delivery')).status, 401);

      const sysadmin = await server.as('sysadmin');
      const unit = (await sysadmin.get<UnitView[]>('/api/admin/units')).body.find((u) => u.name === '规财处')!;
      await sysadmin.put(`/api/admin/units/${unit.id}`, { webhook: { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1' } });
      const raw = await database.db.selectFrom('unit_addresses').selectAll().where('unit_id', '=', unit.id).executeTakeFirstOrThrow();
      assert.equal(raw.webhook_url, 'plain:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1');
    } finally {
      await server.close();
    }
  });
});
