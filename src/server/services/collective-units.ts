import { conflict, invalid, notFound } from '../../domain/errors.ts';
import type { Repositories } from '../db/repositories/index.ts';

/**
 * A collective unit's member units (各处(室) → 环评处、规财处 …; migration 012), replaced inside the
 * caller's transaction after the checks both the office (new-round page) and the system admin
 * (单位 page) go through: the group must be a collective unit; a member must exist, must not be
 * the group itself, and must not be collective (a group of groups would answer nobody). Each
 * refusal names the unit in Chinese. Returns the group and the member ids as stored (duplicates
 * dropped, order kept); the caller audits.
 */
export async function replaceCollectiveMembersIn(
  repositories: Repositories,
  unitId: number,
  memberIds: readonly number[],
): Promise<{ unit: { id: number; name: string }; ids: number[] }> {
  const ids = [...new Set(memberIds)];
  const unit = await repositories.roundWork.findUnit(unitId);
  if (!unit) throw notFound('unit_not_found', `单位 ${unitId} 不存在`, { unitId });
  if (Number(unit.collective) !== 1) throw conflict('unit_not_collective', `“${unit.name}”不是集体单位，不能指定成员单位`, { unitId });
  for (const id of ids) {
    if (id === unitId) throw invalid('member_is_group', `“${unit.name}”不能作为自己的成员单位`, { field: 'memberUnitIds', unitId: id });
    const member = await repositories.roundWork.findUnit(id);
    if (!member) throw invalid('unit_not_found', `单位 ${id} 不存在`, { field: 'memberUnitIds', unitId: id });
    if (Number(member.collective) === 1)
      throw invalid('member_collective', `“${member.name}”本身是集体单位，不能作为“${unit.name}”的成员单位`, { field: 'memberUnitIds', unitId: id });
  }
  await repositories.roundWork.setCollectiveMembers(unitId, ids);
  return { unit: { id: unit.id, name: unit.name }, ids };
}
