import type { ProgressStatus } from '../../domain/limits.ts';

/**
 * Local copies of what the user typed, written on every change and removed once the server
 * has the same text. A session that expires mid-typing, a closed tab or a lost connection
 * leaves the draft here, and the to-do page offers it back after login.
 */
export interface LocalDraft {
  text: string;
  status: ProgressStatus | null;
  reason: string | null;
  /** The server version the user was editing: a save from it may meet a newer one (409). */
  baseVersion: number | null;
  /** 沿用上轮 was pressed and the server has not recorded it yet. */
  copiedFromPrevious?: boolean;
  savedAt: string;
}

const PREFIX = 'diaodu:draft:';

/**
 * The organisation of the session (its login code). Ids repeat across organisations (each has its
 * own store, decision 028): on a shared browser, a bureau's round 3 is not the department's, so
 * every local copy is kept under the organisation it was typed in.
 */
let organisationScope = '';

export function setDraftScope(organisationCode: string | null): void {
  organisationScope = organisationCode ?? '';
}

export function draftKey(roundId: number, unitId: number, taskId: number): string {
  return `${PREFIX}${organisationScope}:${roundId}:${unitId}:${taskId}`;
}

export function readDraft(key: string): LocalDraft | null {
  try {
    const raw = window.localStorage.getItem(key);
    if (!raw) return null;
    const value = JSON.parse(raw) as LocalDraft;
    return typeof value.text === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function writeDraft(key: string, draft: Omit<LocalDraft, 'savedAt'>): void {
  try {
    window.localStorage.setItem(key, JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or disabled: the server autosave still runs.
  }
}

export function removeDraft(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // ignore
  }
}

/** Any unsaved text in a free-text form (instructions, return comments) kept the same way. */
export function stashText(key: string, text: string): void {
  try {
    if (text) window.localStorage.setItem(`diaodu:text:${organisationScope}:${key}`, text);
    else window.localStorage.removeItem(`diaodu:text:${organisationScope}:${key}`);
  } catch {
    // ignore
  }
}

export function unstashText(key: string): string {
  try {
    return window.localStorage.getItem(`diaodu:text:${organisationScope}:${key}`) ?? '';
  } catch {
    return '';
  }
}
