import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import { createAttachmentRepository } from './attachment.repository.ts';
import { createAuditRepository } from './audit.repository.ts';
import { createBackupRepository } from './backup.repository.ts';
import { createImportRepository } from './import.repository.ts';
import { createLeaderRepository } from './leader.repository.ts';
import { createLoginThrottleRepository } from './login-throttle.repository.ts';
import { createNoticeRepository } from './notice.repository.ts';
import { createNoticeSignoffRepository } from './notice-signoff.repository.ts';
import { createNotificationRepository } from './notification.repository.ts';
import { createSettingsRepository } from './settings.repository.ts';
import { createOrganisationProfileRepository } from './organisation-profile.repository.ts';
import { createInstructionRepository } from './instruction.repository.ts';
import { createOrganisationRepository } from './organisation.repository.ts';
import { createOrganisationsRepository } from './organisations.repository.ts';
import { createPlanRepository } from './plan.repository.ts';
import { createPlanViewRepository } from './plan-view.repository.ts';
import { createPlanEditRepository } from './plan-edit.repository.ts';
import { createProgressRepository } from './progress.repository.ts';
import { createRoundRepository } from './round.repository.ts';
import { createSessionRepository } from './session.repository.ts';
import { createUserRepository } from './user.repository.ts';
import { createSearchRepository } from './search.repository.ts';
import { createRoundWorkRepository } from './round-work.repository.ts';
import { createRoundStatisticsRepository } from './round-statistics.repository.ts';
import { createInsightRepository } from './insight.repository.ts';
import { createExplanationRepository } from './explanation.repository.ts';
import { createEvaluationRepository } from './evaluation.repository.ts';
import { createDeliveryAddressRepository } from './delivery-address.repository.ts';
import { createOutboxRepository } from './outbox.repository.ts';
import { createExportJobRepository } from './export-job.repository.ts';
import { createRateLimitRepository } from './rate-limit.repository.ts';

/** Every repository bound to one kysely handle, so a service's writes share one transaction. */
export function createRepositories(db: Kysely<DB>) {
  return {
    organisation: createOrganisationRepository(db),
    plans: createPlanRepository(db),
    rounds: createRoundRepository(db),
    roundWork: createRoundWorkRepository(db),
    progress: createProgressRepository(db),
    imports: createImportRepository(db),
    audit: createAuditRepository(db),
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    loginThrottle: createLoginThrottleRepository(db),
    settings: createSettingsRepository(db),
    organisationProfile: createOrganisationProfileRepository(db),
    deliveryAddresses: createDeliveryAddressRepository(db),
    organisations: createOrganisationsRepository(db),
    planViews: createPlanViewRepository(db),
    planEdits: createPlanEditRepository(db),
    search: createSearchRepository(db),
    instructions: createInstructionRepository(db),
    notices: createNoticeRepository(db),
    noticeSignoffs: createNoticeSignoffRepository(db),
    notifications: createNotificationRepository(db),
    leaders: createLeaderRepository(db),
    attachments: createAttachmentRepository(db),
    roundStatistics: createRoundStatisticsRepository(db),
    insights: createInsightRepository(db),
    explanations: createExplanationRepository(db),
    evaluation: createEvaluationRepository(db),
    outbox: createOutboxRepository(db),
    exportJobs: createExportJobRepository(db),
    rateLimits: createRateLimitRepository(db),
    backup: createBackupRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
