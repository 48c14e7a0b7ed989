import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnswerConflictDetails, AnswerView } from '../../../../domain/api/round-view.ts';
import { AnswerLimits, type ProgressStatus } from '../../../../domain/limits.ts';
import { ApiError, NetworkError, describeError } from '../../../lib/api.ts';
import { draftKey, readDraft, removeDraft, writeDraft } from '../../../lib/drafts.ts';
import { STATUSES_NEEDING_REASON } from '../../../lib/labels.ts';
import { conflictOf, saveAnswer } from '../api/todo.ts';

export interface AnswerValues {
  text: string;
  status: ProgressStatus | null;
  reason: string | null;
}

export type SaveState =
  | { kind: 'clean' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  /** `stashed`: saved by the 暂存 button rather than by autosave. */
  | { kind: 'saved'; at: Date; stashed?: boolean }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; details: AnswerConflictDetails };

export const AUTOSAVE_DELAY_MS = 1000;
const RETRY_DELAY_MS = 5000;

function valuesOf(answer: Pick<AnswerView, 'text' | 'status' | 'reason'>): AnswerValues {
  return { text: answer.text ?? '', status: answer.status, reason: answer.reason ?? null };
}

/** What goes to the server: a reason only where the status asks for one. */
function normalised(values: AnswerValues): AnswerValues {
  const needsReason = values.status !== null && STATUSES_NEEDING_REASON.includes(values.status);
  return { text: values.text, status: values.status, reason: needsReason && values.reason ? values.reason : null };
}

function same(a: AnswerValues, b: AnswerValues): boolean {
  const x = normalised(a);
  const y = normalised(b);
  return x.text === y.text && x.status === y.status && x.reason === y.reason;
}

export interface Autosave {
  values: AnswerValues;
  state: SaveState;
  /** A local copy from an earlier visit was put back into the form. */
  restored: boolean;
  change: (patch: Partial<AnswerValues>) => void;
  /** Save now (before submit); true when the server has exactly what is in the form. */
  flush: () => Promise<boolean>;
  /** 暂存: save now and say so with the time; never submits. */
  stash: () => Promise<boolean>;
  /** 沿用上轮: put last round's text into the box; the save records the answer as copied. */
  copyPrevious: (text: string) => void;
  keepMine: () => void;
  takeTheirs: () => void;
  saveMerged: (text: string) => void;
}

/**
 * One answer's form state, saved to the server about a second after typing stops. Every change
 * is also written to localStorage first, and removed only when the server holds the same text:
 * an expired session, a 409, a lost connection or a closed tab lose nothing.
 */
export function useAnswerAutosave(
  roundId: number,
  unitId: number,
  answer: AnswerView,
  editable: boolean,
  /** Told of every answer the server stored (the page updates its state tag and counters). */
  onSaved?: (saved: AnswerView) => void,
): Autosave {
  const key = draftKey(roundId, unitId, answer.taskId);

  const [initial] = useState(() => {
    const local = readDraft(key);
    if (local && !same(local, valuesOf(answer)))
      return { values: valuesOf(local), version: local.baseVersion ?? answer.version, restored: true, copying: local.copiedFromPrevious === true };
    if (local) removeDraft(key);
    return { values: valuesOf(answer), version: answer.version, restored: false, copying: false };
  });

  const [values, setValues] = useState<AnswerValues>(initial.values);
  const [state, setStateRaw] = useState<SaveState>(initial.restored ? { kind: 'dirty' } : { kind: 'clean' });
  const valuesRef = useRef(initial.values);
  const serverRef = useRef(valuesOf(answer));
  const versionRef = useRef<number>(initial.version);
  const stateRef = useRef<SaveState>(state);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inflight = useRef<Promise<boolean> | null>(null);
  const mounted = useRef(true);
  const saveRef = useRef<() => Promise<boolean>>(async () => false);
  // 沿用上轮 is told to the server with every save until the answer it stored says so.
  const copyingRef = useRef(initial.copying);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const setState = useCallback((next: SaveState) => {
    stateRef.current = next;
    if (mounted.current) setStateRaw(next);
  }, []);

  const setValuesBoth = useCallback((next: AnswerValues) => {
    valuesRef.current = next;
    setValues(next);
  }, []);

  const keepLocal = useCallback(() => {
    writeDraft(key, { ...valuesRef.current, baseVersion: versionRef.current, ...(copyingRef.current ? { copiedFromPrevious: true } : {}) });
  }, [key]);

  const saveOnce = useCallback(async (): Promise<boolean> => {
    const sent = normalised(valuesRef.current);
    if (same(sent, serverRef.current) && !copyingRef.current) {
      removeDraft(key);
      if (stateRef.current.kind !== 'saved') setState({ kind: 'clean' });
      return true;
    }
    if (sent.text.length > AnswerLimits.text.max || (sent.reason?.length ?? 0) > AnswerLimits.reason.max) {
      setState({ kind: 'error', message: '内容超过字数上限，请精简后再保存（内容已保留在本机）' });
      return false;
    }
    setState({ kind: 'saving' });
    try {
      const saved = await saveAnswer(roundId, answer.taskId, unitId, {
        ...sent,
        version: versionRef.current,
        ...(copyingRef.current ? { copiedFromPrevious: true } : {}),
      });
      versionRef.current = saved.version;
      serverRef.current = valuesOf(saved);
      if (saved.copiedFromRoundId !== null) copyingRef.current = false;
      onSavedRef.current?.(saved);
      if (same(valuesRef.current, sent)) {
        removeDraft(key);
        setState({ kind: 'saved', at: new Date() });
      } else {
        // Typed on while the save was under way: keep the newer text and save it next.
        keepLocal();
        setState({ kind: 'dirty' });
        timer.current = setTimeout(() => void saveRef.current(), AUTOSAVE_DELAY_MS);
      }
      return true;
    } catch (error) {
      keepLocal();
      const conflict = conflictOf(error);
      if (conflict) {
        setState({ kind: 'conflict', details: conflict });
      } else if (error instanceof ApiError && error.status === 401) {
        setState({ kind: 'error', message: '登录已过期，内容已保留在本机，重新登录后会自动恢复' });
      } else if (error instanceof NetworkError || (error instanceof ApiError && error.status >= 500)) {
        setState({ kind: 'error', message: `${describeError(error)}（内容已保留在本机，稍后自动重试）` });
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void saveRef.current(), RETRY_DELAY_MS);
      } else {
        setState({ kind: 'error', message: `${describeError(error)}（内容已保留在本机）` });
      }
      return false;
    }
  }, [key, roundId, unitId, answer.taskId, keepLocal, setState]);

  const save = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current);
    if (stateRef.current.kind === 'conflict') return false;
    while (inflight.current) await inflight.current;
    const run = saveOnce();
    inflight.current = run;
    try {
      return await run;
    } finally {
      inflight.current = null;
    }
  }, [saveOnce]);
  saveRef.current = save;

  const change = useCallback(
    (patch: Partial<AnswerValues>) => {
      const next = { ...valuesRef.current, ...patch };
      setValuesBoth(next);
      keepLocal();
      // While a conflict is open, nothing goes to the server until the user chooses.
      if (stateRef.current.kind === 'conflict') return;
      setState({ kind: 'dirty' });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
    },
    [keepLocal, save, setState, setValuesBoth],
  );

  const resolveWith = useCallback(
    (stored: AnswerView, next: AnswerValues | null) => {
      versionRef.current = stored.version;
      serverRef.current = valuesOf(stored);
      setState({ kind: 'dirty' });
      if (next === null) {
        setValuesBoth(valuesOf(stored));
        removeDraft(key);
        setState({ kind: 'saved', at: new Date() });
        return;
      }
      setValuesBoth(next);
      keepLocal();
      void save();
    },
    [key, keepLocal, save, setState, setValuesBoth],
  );

  const conflictStored = state.kind === 'conflict' ? state.details.stored : null;

  // A restored local copy goes to the server straight away (a stale base version meets a 409).
  useEffect(() => {
    mounted.current = true;
    if (initial.restored && editable) timer.current = setTimeout(() => void save(), 300);
    return () => {
      mounted.current = false;
      clearTimeout(timer.current);
    };
    // Once, on mount.
  }, []);

  // Another tab or person saved while this form sat untouched: show their text.
  useEffect(() => {
    const idle = stateRef.current.kind === 'clean' || stateRef.current.kind === 'saved';
    if (idle && answer.version > versionRef.current) {
      versionRef.current = answer.version;
      serverRef.current = valuesOf(answer);
      setValuesBoth(valuesOf(answer));
    }
  }, [answer, setValuesBoth]);

  const stash = useCallback(async (): Promise<boolean> => {
    const ok = await save();
    if (ok) setState({ kind: 'saved', at: new Date(), stashed: true });
    return ok;
  }, [save, setState]);

  const copyPrevious = useCallback(
    (text: string) => {
      copyingRef.current = true;
      change({ text });
    },
    [change],
  );

  return {
    values,
    state,
    restored: initial.restored,
    change,
    flush: save,
    stash,
    copyPrevious,
    keepMine: () => conflictStored && resolveWith(conflictStored, valuesRef.current),
    takeTheirs: () => conflictStored && resolveWith(conflictStored, null),
    saveMerged: (text: string) => conflictStored && resolveWith(conflictStored, { ...valuesRef.current, text }),
  };
}
