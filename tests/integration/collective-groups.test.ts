import assert from 'node:assert/strict';
import type { UnitView } from '../../src/domain/api/admin.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Issue 14: collective unit names (各处(室), 直属单位 …) are groups of units the system admin
 * manages on the 单位 page: its members are listed with the units, set in one confirmed save, and
 * the API refuses a member that is the group itself or another group, naming them; the office's
 * new-round page sees the same groups.
 */
forEachEngine('collective unit groups (system admin)', (it) => {
  it('lists and sets a group’s members; refuses the group itself, another group, a plain unit as group, unknown ids; only the system admin', async (database) => {
    const server = await createTestServer(database);
    try {
      const sysadmin = await server.as('sysadmin');
      const units = (await sysadmin.get<UnitView[]>('/api/admin/units')).body;
      const idOf = (name: string) => units.find((u) => u.name === name)!.id;
      const group = idOf('各处(室)');
      assert.deepEqual(units.find((u) => u.id === group)!.members, []);
      assert.ok(units.filter((u) => !u.collective).every((u) => u.members.length === 0));

      const path = `/api/admin/units/${group}/members`;
      const set = await sysadmin.put<UnitView>(path, { memberUnitIds: [idOf('规财处'), idOf('环评处'), idOf('规财处')] });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(
        set.body.members,
        [
          { id: idOf('规财处'), name: '规财处' },
          { id: idOf('环评处'), name: '环评处' },
        ],
        'in the order given, once each',
      );
      assert.deepEqual(
        (await sysadmin.get<UnitView[]>('/api/admin/units')).body.find((u) => u.id === group)!.members.map((m) => m.name),
        ['规财处', '环评处'],
      );

      const itself = await sysadmin.put(path, { memberUnitIds: [idOf('法规处'), group] });
      assert.deepEqual([itself.status, itself.body.error.code], [422, 'member_is_group']);
      assert.equal(itself.body.error.message, '“各处(室)”不能作为自己的成员单位');
      const nested = await sysadmin.put(path, { memberUnitIds: [idOf('直属单位')] });
      assert.deepEqual([nested.status, nested.body.error.code], [422, 'member_collective']);
      assert.equal(nested.body.error.message, '“直属单位”本身是集体单位，不能作为“各处(室)”的成员单位');
      const plain = await sysadmin.put(`/api/admin/units/${idOf('环评处')}/members`, { memberUnitIds: [idOf('规财处')] });
      assert.deepEqual([plain.status, plain.body.error.code], [409, 'unit_not_collective']);
      assert.match(plain.body.error.message, /“环评处”不是集体单位/);
      const unknown = await sysadmin.put(path, { memberUnitIds: [999_999] });
      assert.deepEqual([unknown.status, unknown.body.error.code], [422, 'unit_not_found']);
      assert.equal((await sysadmin.put(`/api/admin/units/999999/members`, { memberUnitIds: [] })).status, 404);
      assert.equal((await sysadmin.put(path, { memberUnitIds: ['x'] })).status, 400);
      assert.deepEqual(
        (await sysadmin.get<UnitView[]>('/api/admin/units')).body.find((u) => u.id === group)!.members.map((m) => m.name),
        ['规财处', '环评处'],
        'a refused change leaves the group as it was',
      );

      // The office's new-round page reads the same groups.
      const office = await server.as('office');
      const groups = (await office.get(`/api/plans/${server.planId!}/collective-units`)).body as { unitName: string; members: { name: string }[] }[];
      assert.deepEqual(
        groups.find((g) => g.unitName === '各处(室)')!.members.map((m) => m.name),
        ['规财处', '环评处'],
      );

      for (const person of ['office', 'huanping', 'leader', 'secadmin'] as const) {
        const client = await server.as(person);
        const denied = await client.put(path, { memberUnitIds: [] });
        assert.equal(denied.status, 403, `${person}: ${denied.text}`);
      }
      const audit = await database.db.selectFrom('audit_events').select(['action', 'detail']).where('action', '=', 'unit.collective').execute();
      assert.equal(audit.length, 1, 'one audited change; refusals write nothing');

      assert.equal((await sysadmin.put<UnitView>(path, { memberUnitIds: [] })).body.members.length, 0, 'emptied: the office answers for it again');
    } finally {
      await server.close();
    }
  });
});
