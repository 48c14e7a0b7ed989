import { Input, type InputProps } from 'antd';
import type { Rule } from 'antd/es/form';
import type { KeyboardEvent } from 'react';
import { parseTypedDate } from '../../domain/dates.ts';

/**
 * A date field that takes the forms people type — 2017-10-16, 2017/10/16, 2017.10.16,
 * 2017年10月16日 (full-width digits too) — and never submits its form on Enter. The form keeps
 * the text as typed; `typedDateRules` refuses an impossible day (2017-02-30) on the field, and
 * `typedDateValue` gives the canonical `YYYY-MM-DD` when the form is sent.
 *
 *   <Form.Item label="截止日期" name="deadline" rules={typedDateRules('截止日期', { required: true })}>
 *     <TypedDateInput />
 *   </Form.Item>
 */
export function TypedDateInput({ onKeyDown, placeholder, ...props }: Omit<InputProps, 'type'>) {
  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter in a date field must never send the form (it changes state): stop the browser's implicit submit.
    if (event.key === 'Enter') event.preventDefault();
    onKeyDown?.(event);
  };
  return <Input inputMode="numeric" autoComplete="off" maxLength={32} placeholder={placeholder ?? '如 2017-10-16 或 2017年10月16日'} {...props} onKeyDown={keyDown} />;
}

/** The canonical day of what was typed (`YYYY-MM-DD`), or null when it is empty or not a real day. */
export function typedDateValue(text: unknown): string | null {
  return typeof text === 'string' && text.trim() ? parseTypedDate(text) : null;
}

/** Form rules for a typed date: required (optionally), and a real day in an accepted form. */
export function typedDateRules(label: string, options: { required?: boolean } = {}): Rule[] {
  return [
    ...(options.required ? [{ required: true, whitespace: true, message: `请输入${label}` } satisfies Rule] : []),
    {
      validator: (_rule, value: unknown) =>
        typeof value !== 'string' || !value.trim() || parseTypedDate(value) !== null
          ? Promise.resolve()
          : Promise.reject(new Error(`${label}“${value.trim()}”不是有效日期（该日不存在或格式不对），请按 2017-10-16、2017/10/16 或 2017年10月16日 填写`)),
    },
  ];
}
