import type { Actor } from '../../domain/actor.ts';
import { isUniqueViolation } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { DEMO_CITY, type DemoDataReport } from '../services/demo-accounts.ts';
import { audit } from '../services/round.service.ts';
import type { Directory, OrganisationRecord } from './directory.ts';

export type DemoOrganisationsReport = { home: DemoDataReport; city: DemoDataReport & { organisation: OrganisationRecord } };

/**
 * The demo data of both demo organisations (decision 028): the seed department in the home store
 * (as before) and the demo city bureau in a store of its own, registered if it is not yet.
 * Idempotent, like each organisation's demo loader.
 */
export async function loadDemoOrganisations(directory: Directory, actor: Actor): Promise<DemoOrganisationsReport> {
  const home = await directory.home.services.demo.loadDemoData(actor);
  let organisation = await directory.findByCode(DEMO_CITY.code);
  if (!organisation) {
    try {
      organisation = await directory.create(actor, DEMO_CITY);
      const at = directory.now().toISOString();
      await inTransaction(directory.home.database, (repositories) =>
        audit(repositories, actor, at, {
          action: 'organisation.create',
          objectType: 'organisation',
          objectId: organisation!.id,
          detail: { code: DEMO_CITY.code, name: DEMO_CITY.name, demo: true },
        }),
      );
    } catch (error) {
      // Another process loading the demo at the same moment registered it first.
      if (!isUniqueViolation(error)) throw error;
      organisation = (await directory.findByCode(DEMO_CITY.code))!;
    }
  }
  const city = await (await directory.servicesOf(organisation.id)).demo.loadDemoCityData(actor);
  return { home, city: { ...city, organisation } };
}
