import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where the current request comes from, for the audit log's `ip` column. The HTTP app runs
 * every request inside `runWithClient` (http/hardening.ts); the audit repository reads it when
 * it writes a row. Carrying it implicitly means no service has to thread the address through
 * its signature (the actor says who acts, this says from where), and every audit row written
 * while handling a request gets it — including rows of services written before the column was.
 * Outside a request (CLI, start-up jobs) there is none and the column stays null.
 */
export type ClientContext = { ip: string | null };

const storage = new AsyncLocalStorage<ClientContext>();

export function runWithClient<T>(client: ClientContext, work: () => T): T {
  return storage.run(client, work);
}

export function currentClient(): ClientContext | undefined {
  return storage.getStore();
}
