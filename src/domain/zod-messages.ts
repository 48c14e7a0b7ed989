import { z } from 'zod';

/**
 * zod's messages in the words of this app, in Chinese: a request the API refuses, a plan
 * document the import refuses, … never show zod's English ("Invalid input: expected string").
 * Messages a schema states itself win over these. zod's configuration is global to the process:
 * `configureZodMessages()` is called where services are made (API and CLI alike).
 */

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: 'true 或 false',
  object: '对象',
  array: '列表',
  null: '空值(null)',
  date: '日期',
};

const SIZE_UNITS: Record<string, string> = { string: '个字符', array: '项', set: '项', map: '项', file: '字节' };

/** zod's messages in the words of this app; anything not listed falls back to zod's own Chinese locale. */
function localeError(fallback: (issue: z.core.$ZodRawIssue) => string | { message: string } | undefined | null) {
  return (issue: z.core.$ZodRawIssue): string | { message: string } | undefined | null => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return '必填';
        return `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
      case 'too_big': {
        const unit = SIZE_UNITS[issue.origin];
        const max = String(issue.maximum);
        if (unit) return `不能超过 ${max} ${unit}`;
        return issue.inclusive ? `不能大于 ${max}` : `应小于 ${max}`;
      }
      case 'too_small': {
        const unit = SIZE_UNITS[issue.origin];
        const min = String(issue.minimum);
        if (issue.origin === 'string' && Number(issue.minimum) === 1) return '不能为空';
        if (unit) return `至少 ${min} ${unit}`;
        return issue.inclusive ? `不能小于 ${min}` : `应大于 ${min}`;
      }
      case 'invalid_value':
        return `应为以下之一：${issue.values.map((value) => String(value)).join('、')}`;
      case 'invalid_format':
        if (issue.format === 'datetime') return '应为 ISO 8601 时间，如 2017-10-16T17:00:00+08:00';
        if (issue.format === 'date') return '应为日期，如 2017-10-16';
        if (issue.format === 'regex') return '格式不正确';
        return fallback(issue);
      case 'not_multiple_of':
        return `应为 ${String(issue.divisor)} 的倍数`;
      case 'unrecognized_keys':
        return `本接口不接受这些字段：${issue.keys.join('、')}`;
      case 'invalid_union':
        return '格式不正确';
      default:
        return fallback(issue);
    }
  };
}

let configured = false;

/** Makes zod answer in Chinese, for this process (zod's configuration is global). */
export function configureZodMessages(): void {
  if (configured) return;
  configured = true;
  const zhCN = z.locales.zhCN().localeError;
  z.config({ localeError: localeError((issue) => zhCN(issue)) });
}
