import type { PlanChapter, PlanDocument } from '../../domain/plan-document.ts';

/**
 * Finding where two plan documents part: a re-import must say which task differs, not only
 * "the plan differs", so the office can see whether the new file or the stored plan is wrong.
 */

export type Difference = {
  /** Where, as a path into the document: `chapters[0].sections[1].tasks[2].units[0].name`. */
  path: string;
  stored: unknown;
  incoming: unknown;
};

/** The part of a plan that every round shares: its name and its tasks with their owners. */
export function structureOf(document: Pick<PlanDocument, 'plan' | 'chapters'>) {
  return {
    plan: { title: document.plan.title, docNumber: document.plan.docNumber },
    chapters: document.chapters.map((chapter) => ({
      number: chapter.number,
      title: chapter.title,
      sections: chapter.sections.map((section) => ({
        number: section.number,
        title: section.title,
        tasks: section.tasks.map((task) => ({
          text: task.text,
          leadDepartment: task.leadDepartment,
          leaders: task.leaders,
          units: task.units,
          due: task.due ?? null,
        })),
      })),
    })),
  };
}

/** The first place, in document order, where two JSON-like values differ; null when equal. */
export function firstDifference(stored: unknown, incoming: unknown, path = ''): Difference | null {
  if (Object.is(stored, incoming)) return null;
  if (Array.isArray(stored) && Array.isArray(incoming)) {
    const shared = Math.min(stored.length, incoming.length);
    for (let index = 0; index < shared; index++) {
      const difference = firstDifference(stored[index], incoming[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    if (stored.length === incoming.length) return null;
    return { path: `${path}[${shared}]`, stored: stored[shared], incoming: incoming[shared] };
  }
  if (isRecord(stored) && isRecord(incoming)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(incoming)])];
    for (const key of keys) {
      const difference = firstDifference(stored[key], incoming[key], path ? `${path}.${key}` : key);
      if (difference) return difference;
    }
    // Same entries in another order (unit aliases): JSON output would still differ.
    if (Object.keys(stored).join('\u0000') !== Object.keys(incoming).join('\u0000'))
      return { path: path || '(document)', stored: Object.keys(stored), incoming: Object.keys(incoming) };
    return null;
  }
  return { path: path || '(document)', stored, incoming };
}

/**
 * `第 12 项任务「推动成都平原经济区…」units[0].name：已存 "大气处"，导入 "水处"` — where the
 * difference is, in the words of the plan, and both values.
 */
export function describeDifference(chapters: readonly PlanChapter[], difference: Difference): string {
  const where = describePath(chapters, difference.path);
  return `${where}：已存 ${preview(difference.stored)}，导入 ${preview(difference.incoming)}`;
}

function describePath(chapters: readonly PlanChapter[], path: string): string {
  const task = /^chapters\[(\d+)\]\.sections\[(\d+)\]\.tasks\[(\d+)\](.*)$/.exec(path);
  if (task) {
    const [chapterIndex, sectionIndex, taskIndex] = [Number(task[1]), Number(task[2]), Number(task[3])];
    let number = 0;
    chapters.forEach((chapter, c) =>
      chapter.sections.forEach((section, s) => {
        if (c < chapterIndex || (c === chapterIndex && s < sectionIndex)) number += section.tasks.length;
      }),
    );
    number += taskIndex + 1;
    const text = chapters[chapterIndex]?.sections[sectionIndex]?.tasks[taskIndex]?.text;
    const rest = task[4]?.replace(/^\./, '') || '';
    return `第 ${number} 项任务${text ? `「${excerpt(text)}」` : ''}${rest ? ` ${rest}` : ''}`;
  }
  const section = /^chapters\[(\d+)\]\.sections\[(\d+)\](.*)$/.exec(path);
  if (section) return `第 ${Number(section[1]) + 1} 章第 ${Number(section[2]) + 1} 节${section[3] ? ` ${section[3].replace(/^\./, '')}` : ''}`;
  const chapter = /^chapters\[(\d+)\](.*)$/.exec(path);
  if (chapter) return `第 ${Number(chapter[1]) + 1} 章${chapter[2] ? ` ${chapter[2].replace(/^\./, '')}` : ''}`;
  return path;
}

function excerpt(text: string, length = 24): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function preview(value: unknown): string {
  if (value === undefined) return '（无）';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
