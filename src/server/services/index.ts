import { configureZodMessages } from '../../domain/zod-messages.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createDeliveryAddressService } from './delivery-address.service.ts';
import { personalAddresses, type DeliveryDeps } from '../delivery/deliver.ts';
import { createAdminService } from './admin.service.ts';
import { createAnswerService } from './answer.service.ts';
import { createAttachmentService } from './attachment.service.ts';
import { createAuditService } from './audit.service.ts';
import { createAuthService } from './auth.service.ts';
import { createBackupService } from './backup.service.ts';
import { createCompileRoundService } from './compile-round.service.ts';
import { createDemoService } from './demo-accounts.ts';
import { createExportService } from './export.service.ts';
import { createNoticeService } from './notice.service.ts';
import { createNoticeStatisticsService } from './notice-statistics.service.ts';
import { createNoticeSignoffService } from './notice-signoff.service.ts';
import { createOrganisationProfileService } from './organisation-profile.service.ts';
import { createPlanExportService } from './plan-export.service.ts';
import { createPlanFileService } from './plan-file.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createPlanViewService } from './plan-view.service.ts';
import { createPlanEditService } from './plan-edit.service.ts';
import { createSearchService } from './search.service.ts';
import { createInstructionService } from './instruction.service.ts';
import { createInsightService, findingsIn } from './insight.service.ts';
import { createLeaderService } from './leader.service.ts';
import { createNotificationService } from './notification.service.ts';
import { createReminderLadderService } from './reminder-ladder.service.ts';
import { createReturnedTableService } from './returned-table.service.ts';
import { createRoundService } from './round.service.ts';
import { createRoundStatisticsService } from './round-statistics.service.ts';
import { createSubmissionService } from './submission.service.ts';
import { createUserService } from './user.service.ts';
import { createExplanationService } from './explanation.service.ts';
import { createEvaluationService } from './evaluation.service.ts';
import { createDashboardService } from './dashboard.service.ts';
import { cachedFindings, type FindingsSource } from './findings-source.ts';

export type ServicesDeps = {
  database: Database;
  config: Config;
  /** The clock every service reads; tests pass one they can move (session expiry, deadlines). */
  now?: () => Date;
};

/**
 * Every service over one database and one clock: the composition the HTTP app, `main.ts` and
 * the test server share. Add a service as one line here; routes reach it as `services.<name>`.
 */
export function createServices(deps: ServicesDeps) {
  const { database, config } = deps;
  configureZodMessages();
  const now = deps.now ?? (() => new Date());

  const planImport = createPlanImportService({ database, now });
  const planFile = createPlanFileService({ planImport });
  const users = createUserService({ database, config, now });
  const deliveryAddresses = createDeliveryAddressService({ database, config, now });
  // Issue 16: where events go beyond the app (deliver.ts), for the services that cause them.
  const delivery: DeliveryDeps = {
    addressesOfUnit: deliveryAddresses.outboxAddressesOfUnit,
    addressesOfUser: personalAddresses,
    publicUrl: config.delivery.publicUrl,
    timeZone: config.timeZone,
  };
  const organisationProfile = createOrganisationProfileService({ database, timeZone: config.timeZone, now });
  // The evaluation and the dashboard read each round's findings as the insight page does, kept
  // until the next write (findings-source.ts): up to 250,000 findings, a plan of 10,000 tasks over
  // seven rounds (bench:insights) — some tens of megabytes; an ordinary plan's rounds take a few hundred each.
  const findings: FindingsSource = cachedFindings(async (repositories, roundId) => (await findingsIn(repositories, roundId)).findings, 250_000);

  return {
    auth: createAuthService({ database, config, now }),
    users,
    admin: createAdminService({ database, config, now }),
    deliveryAddresses,
    planImport,
    planFile,
    planExport: createPlanExportService({ database, now }),
    compileRound: createCompileRoundService({ database, now }),
    exports: createExportService({
      database,
      now,
      options: { soffice: config.exports.soffice, timeoutMs: config.exports.timeoutMs },
      timeZone: config.timeZone,
    }),
    notices: createNoticeService({ database, now }),
    noticeStatistics: createNoticeStatisticsService({ database }),
    noticeSignoff: createNoticeSignoffService({ database, now, delivery }),
    organisationProfile,
    demo: createDemoService({ database, users, planFile, organisationProfile, now }),
    rounds: createRoundService({
      database,
      now,
      timeZone: config.timeZone,
      addressesOfUnit: deliveryAddresses.outboxAddressesOfUnit,
      publicUrl: config.delivery.publicUrl,
    }),
    reminderLadders: createReminderLadderService({ database, now, timeZone: config.timeZone }),
    answers: createAnswerService({ database, now }),
    attachments: createAttachmentService({ database, now }),
    returnedTables: createReturnedTableService({ database, now }),
    submissions: createSubmissionService({ database, now, delivery }),
    roundStatistics: createRoundStatisticsService({ database }),
    insights: createInsightService({ database, now }),
    planViews: createPlanViewService({ database }),
    planEdits: createPlanEditService({ database, now, timeZone: config.timeZone }),
    search: createSearchService({ database }),
    instructions: createInstructionService({ database, now, delivery }),
    notifications: createNotificationService({ database, now }),
    leaders: createLeaderService({ database, now }),
    explanations: createExplanationService({ database, now }),
    evaluation: createEvaluationService({ database, findings, now }),
    dashboard: createDashboardService({ database, findings, now }),
    audit: createAuditService({ database, now }),
    backups: createBackupService({ database, databaseUrl: config.databaseUrl, now }),
  };
}

export type Services = ReturnType<typeof createServices>;
