import { PLAN_FORMAT, type Notice, type PlanChapter, type PlanDocument, type PlanTask } from '../../src/domain/plan-document.ts';

/**
 * Small, valid `diaodu.plan/1` documents shaped like the seed: two chapters, numbered
 * sections (one skipping a number, as real plans do), multi-unit tasks whose progress is
 * attributed per unit, one entry with no unit, a notice, unit aliases and warnings.
 * Every object is written in the schema's field order, so `JSON.stringify` of a factory
 * document is exactly what an export of it must print.
 */

export function buildTask(overrides: Partial<PlanTask> = {}): PlanTask {
  return {
    text: overrides.text ?? '全省细颗粒物（PM2.5）年均浓度比 2015 年下降 20% 以上。',
    leadDepartment: overrides.leadDepartment === undefined ? '省环境保护厅' : overrides.leadDepartment,
    leaders: overrides.leaders ?? ['赵乐晨'],
    units: overrides.units ?? [{ name: '大气处', role: 'lead' }],
    progress: overrides.progress ?? [{ unit: '大气处', text: '1-6 月，全省 PM2.5 平均浓度同比 2015 年下降 11.3%。' }],
    warnings: overrides.warnings ?? [],
  };
}

export function buildNotice(overrides: Partial<Notice> = {}): Notice {
  return {
    issuingOffice: '四川省环境保护厅办公室',
    docNumber: '川环办发〔2017〕102号',
    title: '关于《厅内分工方案》2017年第二季度工作推进情况的通报',
    recipients: '厅机关各处（室）、直属单位',
    body: [
      '按照《厅内分工方案》（川环办发〔2016〕144号）要求，现将 2017 年第二季度工作推进情况进行通报（见附件）。',
      '请各牵头处（室）、直属单位继续加快推进落实相关工作。',
    ],
    attachment: '《厅内分工方案》2017年第二季度工作推进情况调度表',
    issuer: '四川省环境保护厅办公室',
    date: '2017-07-31',
    contact: { unit: '厅污染防治“三大战役”办', name: '谭建波', phone: '028-80589030' },
    cc: ['厅领导'],
    printed: { by: '四川省环境保护厅办公室', date: '2017-07-31' },
    ...overrides,
  };
}

/** Chapter structure used by `buildPlanDocument`: 2 chapters, 3 sections, 5 tasks. */
export function buildChapters(): PlanChapter[] {
  return [
    {
      number: 1,
      title: '牢固树立绿色发展理念，把握推进绿色发展的总体要求',
      sections: [
        {
          number: 1,
          title: '主要目标',
          tasks: [
            buildTask(),
            buildTask({
              text: '地表水优良水质断面比例达到 82% 以上。',
              leaders: ['李岳东'],
              units: [
                { name: '水处', role: 'lead' },
                { name: '监测处', role: 'co' },
                { name: '监察总队', role: 'co' },
              ],
              progress: [
                { unit: '水处', text: '87 个国家断面有 63 个水质为 III 类及以上，占比 72.4%。' },
                { unit: '监察总队', text: '开展重点流域专项执法检查。' },
                { unit: null, text: '正在按期推进落实。' },
              ],
              warnings: ['推进情况第 3 段未注明单位 / progress paragraph 3 names no unit'],
            }),
          ],
        },
      ],
    },
    {
      number: 2,
      title: '构建绿色发展空间体系，优化国土空间开发格局',
      sections: [
        {
          number: 2,
          title: '完善区域发展空间布局',
          tasks: [
            buildTask({
              text: '推动成都平原经济区领先发展，加快建设国家中心城市。',
              leadDepartment: '省发展改革委',
              leaders: ['张金汉', '李岳东'],
              units: [
                { name: '规财处', role: 'lead' },
                { name: '环评处', role: 'co' },
              ],
              progress: [
                { unit: '规财处', text: '配合相关职能部门推进相关工作。' },
                { unit: '环评处', text: '完成规划环评审查 3 项。' },
              ],
            }),
          ],
        },
        {
          // Section numbers skip, as in the seed (there is no (八)).
          number: 9,
          title: '推进生态保护红线划定',
          tasks: [
            buildTask({
              text: '划定并严守生态保护红线。',
              leadDepartment: null,
              leaders: [],
              units: [{ name: '生态处', role: 'lead' }],
              progress: [],
            }),
            buildTask({
              text: '建立生态保护红线监管平台。',
              leaders: ['各分管厅领导'],
              units: [
                { name: '生态处', role: 'lead' },
                { name: '监测处', role: 'co' },
              ],
              progress: [{ unit: '监测处', text: '平台一期已经验收。' }],
            }),
          ],
        },
      ],
    },
  ];
}

export type PlanDocumentOverrides = {
  plan?: Partial<PlanDocument['plan']>;
  round?: Partial<PlanDocument['round']>;
  chapters?: PlanChapter[];
  unitAliases?: Record<string, string>;
  warnings?: string[];
  notice?: Notice | null;
};

export function buildPlanDocument(overrides: PlanDocumentOverrides = {}): PlanDocument {
  return {
    format: PLAN_FORMAT,
    notice: overrides.notice === undefined ? buildNotice() : overrides.notice,
    plan: {
      title: overrides.plan?.title ?? '贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案',
      docNumber: overrides.plan?.docNumber === undefined ? '川环办发〔2016〕144号' : overrides.plan.docNumber,
    },
    round: {
      label: overrides.round?.label ?? '2017年第二季度',
      periodStart: overrides.round?.periodStart === undefined ? '2017-04-01' : overrides.round.periodStart,
      periodEnd: overrides.round?.periodEnd === undefined ? '2017-06-30' : overrides.round.periodEnd,
    },
    unitAliases: overrides.unitAliases ?? { 总队: '监察总队', 环评: '环评处' },
    chapters: overrides.chapters ?? buildChapters(),
    warnings: overrides.warnings ?? ['第 11 页表头重复，已删除 / repeated header row on page 11 removed'],
  };
}

/** The next quarter's document of the same plan: same tasks, new label, new progress and notice. */
export function buildNextRoundDocument(label = '2017年第三季度'): PlanDocument {
  const chapters = buildChapters();
  for (const chapter of chapters)
    for (const section of chapter.sections)
      for (const task of section.tasks) {
        task.progress = task.progress.map((entry) => ({ unit: entry.unit, text: `${entry.text}（第三季度）` }));
        task.warnings = [];
      }
  return buildPlanDocument({
    round: { label, periodStart: '2017-07-01', periodEnd: '2017-09-30' },
    chapters,
    notice: buildNotice({ docNumber: '川环办发〔2017〕150号', date: '2017-10-31', printed: { by: '四川省环境保护厅办公室', date: '2017-10-31' } }),
    warnings: [],
  });
}

/** A document's tasks in plan order. */
export function allTasks(document: PlanDocument): PlanTask[] {
  return document.chapters.flatMap((chapter) => chapter.sections.flatMap((section) => section.tasks));
}
