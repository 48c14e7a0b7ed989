import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../../domain/actor.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';
import { loadConfig } from '../../server/config.ts';
import { summarisePlanDocument } from './import.command.ts';
import { DEMO_DESCRIPTION, describeDemoLogins } from '../../server/services/demo-accounts.ts';
import { loadDemoOrganisations } from '../../server/organisations/demo-organisations.ts';

/** The project's own copy of the seed document (fixtures/seed/SOURCE.md says where it comes from). */
export const DEMO_DOCUMENT = fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url));

const usage = `用法 Usage: diaodu demo [--reset]

载入演示数据：${DEMO_DESCRIPTION}
(load the demo data: the seed document and one demo account per role).

  --reset     先删除 SQLite 数据库文件，得到全新的数据库 (delete the SQLite database file first)
  -h, --help  显示帮助`;

export const demoCommand: Command = {
  name: 'demo',
  summary: '载入演示数据',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { reset: { type: 'boolean' } });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals.length > 0) throw new UsageError(`多余的参数：${positionals[0]}`);
    if (values.reset) {
      const url = loadConfig(io.env).databaseUrl;
      if (!url.startsWith('sqlite:') || url === 'sqlite::memory:')
        throw new UsageError('--reset 只用于 SQLite 文件数据库 (--reset works on a SQLite file only)');
      const file = url.slice('sqlite:'.length);
      const home = path.resolve(io.cwd, file);
      // With the other organisations' stores beside it (decision 028: `<name>.org-<id>.sqlite`).
      const others = await readdir(path.dirname(home)).catch(() => [] as string[]);
      const prefix = `${path.basename(home).replace(/\.(sqlite3?|db)$/i, '')}.org-`;
      const stores = others.filter((name) => name.startsWith(prefix)).map((name) => path.join(path.dirname(home), name));
      for (const target of [home, ...stores.filter((name) => /\.sqlite$/.test(name))])
        for (const suffix of ['', '-wal', '-shm']) await rm(`${target}${suffix}`, { force: true });
    }
    const bytes = await readFile(DEMO_DOCUMENT);
    return withCliContext(io, async ({ planFile, directory, database }) => {
      const read = planFile.preview(systemActor('demo'), { fileName: 'sichuan-2017-q2-notice.txt', bytes });
      const { home, city } = await loadDemoOrganisations(directory, systemActor('demo'));
      const created = home.accounts.created.length + city.accounts.created.length;
      const existing = home.accounts.existing.length + city.accounts.existing.length;
      io.out(
        `${summarisePlanDocument(read.document)}\n${home.plan.outcome.message}\n${city.organisation.name}：${city.plan.outcome.message}\n演示数据库 demo database: ${database.dialect}\n`,
      );
      io.out(`演示账号 demo accounts: ${created} created, ${existing} already there\n${describeDemoLogins()}\n`);
      return ExitCode.ok;
    });
  },
};
