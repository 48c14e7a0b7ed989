import type { Actor } from '../../domain/actor.ts';
import { readPlanDocument, type ReadPlanDocumentResult } from '../documents/read-plan-document.ts';
import { assertCanImportPlans } from '../policies/plan.policy.ts';
import type { ImportOutcome } from './plan-import.service.ts';

export interface PlanFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface PlanFileImport {
  read: ReadPlanDocumentResult;
  outcome: ImportOutcome;
}

interface PlanImporter {
  importDocument(actor: Actor, document: ReadPlanDocumentResult['document'], source: { fileName: string; contentHash: string }): Promise<ImportOutcome>;
}

/**
 * Import of a plan file (seed text, diaodu.plan/1 JSON, a Word or Excel table): read and repair it,
 * then store it in one transaction. The office imports (and the CLI's operator). `preview` is the dry run: it reads the file and touches no database.
 */
export function createPlanFileService(deps: { planImport: PlanImporter | null }) {
  return {
    preview(actor: Actor, file: PlanFile): ReadPlanDocumentResult {
      assertCanImportPlans(actor);
      return readPlanDocument(file.bytes, file.fileName);
    },

    async importFile(actor: Actor, file: PlanFile): Promise<PlanFileImport> {
      if (!deps.planImport) throw new Error('plan import service not configured');
      assertCanImportPlans(actor);
      const read = readPlanDocument(file.bytes, file.fileName);
      const outcome = await deps.planImport.importDocument(actor, read.document, { fileName: file.fileName, contentHash: read.contentHash });
      return { read, outcome };
    },
  };
}

export type PlanFileService = ReturnType<typeof createPlanFileService>;
