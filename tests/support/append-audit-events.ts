/**
 * A second process writing to the audit log (for tests/integration/audit-chain.test.ts):
 *   node --import tsx tests/support/append-audit-events.ts DATABASE_URL WRITER COUNT
 * appends COUNT events, one transaction each, yielding to the event loop between them so the
 * processes' transactions interleave.
 */
import { openDatabase } from '../../src/server/db/database.ts';
import { inTransaction } from '../../src/server/db/transaction.ts';

const [url, writer, count] = process.argv.slice(2);
if (!url || !writer || !count) throw new Error('usage: append-audit-events.ts DATABASE_URL WRITER COUNT');
const database = await openDatabase(url);
try {
  for (let n = 1; n <= Number(count); n += 1) {
    await inTransaction(database, (repositories) =>
      repositories.audit.appendAuditEvent({
        at: new Date().toISOString(),
        actor_kind: 'system',
        actor_name: writer,
        user_id: null,
        ip: null,
        action: 'test.event',
        object_type: 'test',
        object_id: `${writer}/${n}`,
        result: 'success',
        detail: '{}',
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
} finally {
  await database.close();
}
