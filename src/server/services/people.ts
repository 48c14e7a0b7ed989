import type { Repositories } from '../db/repositories/index.ts';

/** The names the system's own jobs act under (`system:<job>` in audit rows and `*_by` columns). */
const SYSTEM_JOBS: Record<string, string> = { cli: '命令行', demo: '演示数据', 'backup-job': '定时备份', test: '测试' };

/**
 * The person behind a stored actor label (`actorLabel`: a login name, or `system:<job>`), as people
 * read it: the account's display name now (张敏), 系统（命令行） for a job, or the label itself when
 * no account has it any more. Columns such as `notices.updated_by` keep the login name; views
 * show this.
 */
export async function displayNameOf(repositories: Repositories, label: string): Promise<string> {
  if (label.startsWith('system:')) {
    const job = label.slice('system:'.length);
    return `系统（${SYSTEM_JOBS[job] ?? job}）`;
  }
  const user = await repositories.users.findUserByUsername(label);
  return user?.display_name || label;
}
