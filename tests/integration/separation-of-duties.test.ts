import assert from 'node:assert/strict';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * 三员分立 (docs/promises.md, decision 010): each admin role × each admin function and a set of
 * business functions → allowed or 403, on both engines. A business role (the office) is the
 * control row: it gets none of the admin functions. The province's supervisor (decision 030)
 * reads the roll-up and nothing else: no admin function, no business data.
 */

type Who = 'sysadmin' | 'secadmin' | 'auditor' | 'office' | 'supervisor';
const WHO = ['sysadmin', 'secadmin', 'auditor', 'office', 'supervisor'] as const;
type Call = (client: SignedInClient) => Promise<{ status: number; text: string }>;
type Fn = { name: string; allowed: Who[]; call: Call };

async function id(database: TestDatabase, username: string): Promise<number> {
  const user = await createRepositories(database.db).users.findUserByUsername(username);
  assert.ok(user, username);
  return user.id;
}

async function functions(database: TestDatabase, app: TestServer): Promise<Fn[]> {
  const planId = app.planId!;
  const opened = await (await app.as('office')).post(`/api/plans/${planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
  assert.equal(opened.status, 201, opened.text);
  const roundId = opened.body.id as number;
  const huanping = await app.as('huanping');
  const unitId = huanping.session.user.unit!.id;
  const todo = await huanping.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  const taskId = todo.body.items[0].task.id as number;
  const [daqi, shengtai, shuichu, guicai] = await Promise.all(['daqi', 'shengtai', 'shuichu', 'guicai'].map((name) => id(database, name)));
  const shuichuUnit = (await app.as('shuichu')).session.user.unit!.id;
  let n = 0;
  const fresh = () => `sod-user-${(n += 1)}`;

  return [
    // System admin: accounts, units, settings.
    { name: '账号列表', allowed: ['sysadmin', 'secadmin'], call: (c) => c.get('/api/admin/accounts') },
    {
      name: '新建账号',
      allowed: ['sysadmin'],
      call: (c) => c.post('/api/admin/accounts', { username: fresh(), displayName: '测试', role: 'leader', unitId: null, phone: null }),
    },
    { name: '停用账号', allowed: ['sysadmin'], call: (c) => c.post(`/api/admin/accounts/${daqi}/disable`) },
    { name: '重置密码', allowed: ['sysadmin'], call: (c) => c.post(`/api/admin/accounts/${shengtai}/reset-password`) },
    { name: '处室列表', allowed: ['sysadmin', 'secadmin'], call: (c) => c.get('/api/admin/units') },
    { name: '新增处室', allowed: ['sysadmin'], call: (c) => c.post('/api/admin/units', { name: `测试处${(n += 1)}`, phone: null }) },
    { name: '系统设置', allowed: ['sysadmin'], call: (c) => c.get('/api/admin/settings') },
    // Security admin: roles, policy, unlock, second factor.
    { name: '变更角色', allowed: ['secadmin'], call: (c) => c.put(`/api/admin/accounts/${shuichu}/role`, { role: 'unit_head', unitId: shuichuUnit }) },
    { name: '解锁账号', allowed: ['secadmin'], call: (c) => c.post(`/api/admin/accounts/${guicai}/unlock`) },
    { name: '重置动态验证码', allowed: ['secadmin'], call: (c) => c.post(`/api/admin/accounts/${guicai}/reset-totp`) },
    { name: '查看密码策略设置', allowed: ['secadmin'], call: (c) => c.get('/api/admin/password-policy') },
    { name: '修改密码策略', allowed: ['secadmin'], call: (c) => c.put('/api/admin/password-policy', { minLength: 8, minClasses: 3, history: 5 }) },
    // Audit admin: the audit log (H5's API) and nothing else.
    { name: '审计日志', allowed: ['auditor'], call: (c) => c.get('/api/audit') },
    // Business data: no admin enters or reads it.
    { name: '分工方案列表', allowed: ['office'], call: (c) => c.get('/api/plans') },
    { name: '方案任务树', allowed: ['office'], call: (c) => c.get(`/api/plans/${planId}/tree`) },
    { name: '全文搜索', allowed: ['office'], call: (c) => c.get(`/api/search?q=${encodeURIComponent('生态环境')}`) },
    { name: '任务详情', allowed: ['office'], call: (c) => c.get(`/api/tasks/${taskId}`) },
    { name: '发起调度', allowed: ['office'], call: (c) => c.post(`/api/plans/${planId}/rounds`, { label: `测试轮次${(n += 1)}`, taskIds: [taskId] }) },
    { name: '催办看板', allowed: ['office'], call: (c) => c.get(`/api/rounds/${roundId}/board`) },
    { name: '处室待办', allowed: ['office'], call: (c) => c.get(`/api/rounds/${roundId}/units/${unitId}/todo`) },
    {
      name: '填报推进情况',
      allowed: [],
      call: (c) => c.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, { text: '管理员不应能写入', status: null, reason: null, version: 0 }),
    },
    { name: '写批示', allowed: [], call: (c) => c.post(`/api/tasks/${taskId}/instructions`, { text: '管理员不应能批示' }) },
    // The province's roll-up: the supervisor's only function.
    { name: '全省汇总', allowed: ['supervisor'], call: (c) => c.get('/api/province/rollup') },
    { name: '单位各轮次汇总', allowed: ['supervisor'], call: (c) => c.get('/api/province/organisations/home/rounds') },
  ];
}

forEachEngine('三员分立: every admin role × admin and business functions', (it) => {
  it('allowed where the role owns the function, 403 everywhere else (and nothing stored on a 403)', async (database) => {
    const app = await createTestServer(database);
    try {
      const fns = await functions(database, app);
      const clients = {} as Record<Who, SignedInClient>;
      for (const who of WHO) clients[who] = await app.as(who);
      const matrix: string[] = [];
      const expected: string[] = [];
      for (const fn of fns)
        for (const who of WHO) {
          const allowed = fn.allowed.includes(who);
          const auditRowsBefore = (await createRepositories(database.db).audit.listAuditEvents()).filter((row) => row.action !== 'access.denied').length;
          const response = await fn.call(clients[who]);
          matrix.push(`${fn.name} × ${who}: ${response.status < 300 ? 'allowed' : response.status}`);
          expected.push(`${fn.name} × ${who}: ${allowed ? 'allowed' : 403}`);
          if (!allowed) {
            const after = (await createRepositories(database.db).audit.listAuditEvents()).filter((row) => row.action !== 'access.denied').length;
            assert.equal(after, auditRowsBefore, `${fn.name} × ${who}: a refused call changes nothing`);
          }
        }
      assert.deepEqual(matrix, expected);
    } finally {
      await app.close();
    }
  });

  it('no admin can give itself or anyone a second admin role, or turn an admin into a business user', async (database) => {
    const app = await createTestServer(database, { demoPlan: false });
    try {
      const secadmin = await app.as('secadmin');
      const sysadmin = await app.as('sysadmin');
      const self = await secadmin.put(`/api/admin/accounts/${secadmin.session.user.id}/role`, { role: 'system_admin', unitId: null });
      assert.equal(self.status, 403);
      assert.equal(self.body.error.code, 'forbidden_self');
      const grant = await secadmin.put(`/api/admin/accounts/${await id(database, 'office')}/role`, { role: 'audit_admin', unitId: null });
      assert.equal(grant.status, 403);
      assert.equal(grant.body.error.code, 'forbidden_admin_role');
      const demote = await secadmin.put(`/api/admin/accounts/${await id(database, 'auditor')}/role`, { role: 'office', unitId: null });
      assert.equal(demote.status, 403);
      assert.equal(demote.body.error.code, 'forbidden_admin_account');
      const newAdmin = await sysadmin.post('/api/admin/accounts', {
        username: 'second-admin',
        displayName: '第二管理员',
        role: 'security_admin',
        unitId: null,
        phone: null,
      });
      assert.equal(newAdmin.status, 403);
      assert.equal(newAdmin.body.error.code, 'forbidden_admin_role');
      const disableColleague = await sysadmin.post(`/api/admin/accounts/${await id(database, 'secadmin')}/disable`);
      assert.equal(disableColleague.status, 403, 'the system admin cannot switch off the security admin');
      const users = await createRepositories(database.db).users.listUsers();
      const roles = Object.fromEntries(users.map((user) => [user.username, user.role]));
      assert.deepEqual([roles.secadmin, roles.sysadmin, roles.auditor, roles.office], ['security_admin', 'system_admin', 'audit_admin', 'office']);
      assert.equal(users.find((user) => user.username === 'secadmin')?.disabled, 0);
    } finally {
      await app.close();
    }
  });
});
