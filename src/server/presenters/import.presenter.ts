import type { ImportView } from '../../domain/api/import-view.ts';
import { tasksOf } from '../../domain/plan-document.ts';
import type { ReadPlanDocumentResult } from '../documents/read-plan-document.ts';
import type { ImportOutcome } from '../services/plan-import.service.ts';

export function presentImport(fileName: string, read: ReadPlanDocumentResult, outcome: ImportOutcome | null): ImportView {
  const { document } = read;
  const tasks = [...tasksOf(document)];
  return {
    dryRun: outcome === null,
    format: read.format,
    fileName,
    contentHash: read.contentHash,
    summary: {
      planTitle: document.plan.title,
      planDocNumber: document.plan.docNumber,
      roundLabel: document.round.label,
      chapters: document.chapters.length,
      sections: document.chapters.reduce((n, chapter) => n + chapter.sections.length, 0),
      tasks: tasks.length,
      progressEntries: tasks.reduce((n, { task }) => n + task.progress.length, 0),
      warnings: read.warnings.length,
    },
    warnings: read.warnings,
    outcome: outcome && { status: outcome.status, planId: outcome.planId, roundId: outcome.roundId, message: outcome.message },
  };
}
