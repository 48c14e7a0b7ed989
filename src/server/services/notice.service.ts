import type { Actor } from '../../domain/actor.ts';
import { invalid } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanManageRounds } from '../policies/round.policy.ts';
import { formatDocNumber } from './compile-round.service.ts';
import { requireRound } from './round.service.ts';

export const DEFAULT_DOC_PREFIX = '川环办发';

export type DocNumberParts = { prefix: string; year: number; number: number };

/** `川环办发〔2017〕102号` → its parts; null for text in another form. */
export function parseDocNumber(text: string): DocNumberParts | null {
  const match = /^(.+?)〔(\d{4})〕0*(\d+)号$/.exec(text.trim());
  if (!match) return null;
  return { prefix: match[1]!, year: Number(match[2]), number: Number(match[3]) };
}

export function createNoticeService(deps: { database: Database }) {
  const { database } = deps;

  /** The next number for a prefix and year: the largest stored one plus one (1 when the year has none). */
  async function suggestNextNumber(actor: Actor, roundId: number, year: number, prefix = DEFAULT_DOC_PREFIX): Promise<DocNumberParts & { docNumber: string }> {
    assertCanManageRounds(actor, '建议通报文号');
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      throw invalid('notice_year_invalid', `文号年份应为 2000–2100 之间的整数 / the year must be an integer from 2000 to 2100: ${year}`, { year });
    return inReadTransaction(database, async (repositories) => {
      await requireRound(repositories, roundId);
      let largest = 0;
      for (const stored of await repositories.notices.listDocNumbers()) {
        const parts = parseDocNumber(stored.docNumber);
        if (parts && parts.prefix === prefix && parts.year === year) largest = Math.max(largest, parts.number);
      }
      const number = largest + 1;
      return { prefix, year, number, docNumber: formatDocNumber(prefix, year, number) };
    });
  }

  return { suggestNextNumber };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
