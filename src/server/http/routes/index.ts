import type { RouteModule } from '../types.ts';
import { attachmentRoutes } from './attachment.routes.ts';
import { auditRoutes } from './audit.routes.ts';
import { exportRoutes } from './export.routes.ts';
import { adminRoutes } from './admin.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { healthRoutes } from './health.routes.ts';
import { importRoutes } from './import.routes.ts';
import { instructionRoutes } from './instruction.routes.ts';
import { insightRoutes } from './insight.routes.ts';
import { leaderRoutes } from './leader.routes.ts';
import { notificationRoutes } from './notification.routes.ts';
import { noticeRoutes } from './notice.routes.ts';
import { noticeStatisticsRoutes } from './notice-statistics.routes.ts';
import { noticeSignoffRoutes } from './notice-signoff.routes.ts';
import { organisationProfileRoutes } from './organisation-profile.routes.ts';
import { returnedTableRoutes } from './returned-table.routes.ts';
import { planRoutes } from './plan.routes.ts';
import { platformRoutes } from './platform.routes.ts';
import { provinceRoutes } from './province.routes.ts';
import { planEditRoutes } from './plan-edit.routes.ts';
import { roundRoutes } from './round.routes.ts';
import { reminderLadderRoutes } from './reminder-ladder.routes.ts';
import { roundStatisticsRoutes } from './round-statistics.routes.ts';
import { searchRoutes } from './search.routes.ts';
import { taskRoutes } from './task.routes.ts';
import { explanationRoutes } from './explanation.routes.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { deliveryAddressRoutes } from './delivery-address.routes.ts';

/** Every routes module, registered in this order. Add yours as one line. */
export const routeModules: readonly RouteModule[] = [
  healthRoutes,
  authRoutes,
  adminRoutes,
  deliveryAddressRoutes,
  organisationProfileRoutes,
  roundRoutes,
  reminderLadderRoutes,
  planRoutes,
  planEditRoutes,
  taskRoutes,
  searchRoutes,
  auditRoutes,
  noticeRoutes,
  noticeSignoffRoutes,
  importRoutes,
  returnedTableRoutes,
  exportRoutes,
  notificationRoutes,
  instructionRoutes,
  leaderRoutes,
  attachmentRoutes,
  roundStatisticsRoutes,
  noticeStatisticsRoutes,
  insightRoutes,
  platformRoutes,
  provinceRoutes,
  explanationRoutes,
  dashboardRoutes,
];
