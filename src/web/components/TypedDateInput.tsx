import { Input, type InputProps } from 'antd';
import type { Rule } from 'antd/es/form';
import type { ChangeEvent, FocusEvent, KeyboardEvent } from 'react';
import { formatDateZh, parseTypedDate, utcOffsetOf } from '../../domain/dates.ts';
import { departmentZone } from '../lib/format.ts';

/** The forms a date may be typed in, as the fields' hints and refusals say. */
export const TYPED_DATE_FORMS = '2017-10-16、2017/10/16 或 2017年10月16日';

/**
 * A date field that takes the forms people type — 2017-10-16, 2017/10/16, 2017.10.16,
 * 2017年10月16日 (full-width digits too) — and never submits its form on Enter. The form keeps
 * the text as typed; `typedDateRules` refuses an impossible day (2017-02-30) on the field, and
 * `typedDateValue` gives the canonical `YYYY-MM-DD` when the form is sent.
 *
 *   <Form.Item label="截止日期" name="deadline" rules={typedDateRules('截止日期', { required: true })}>
 *     <TypedDateInput />
 *   </Form.Item>
 *
 * With `writeOut`, a real day typed in another form is rewritten as 2017年10月16日 once the field
 * is left or Enter is pressed (the notice shows its dates so); an impossible one stays as typed.
 */
export function TypedDateInput({ onKeyDown, onBlur, placeholder, writeOut = false, ...props }: Omit<InputProps, 'type'> & { writeOut?: boolean }) {
  const tidy = (target: HTMLInputElement) => {
    if (!writeOut) return;
    const day = typedDateValue(target.value);
    const written = day === null ? null : formatDateZh(day);
    // The form reads event.target.value: hand it the written-out day as a change.
    if (written !== null && written !== target.value) props.onChange?.({ target: { value: written } } as ChangeEvent<HTMLInputElement>);
  };
  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter in a date field must never send the form (it changes state): stop the browser's implicit submit.
    if (event.key === 'Enter') {
      event.preventDefault();
      tidy(event.currentTarget);
    }
    onKeyDown?.(event);
  };
  const blur = (event: FocusEvent<HTMLInputElement>) => {
    tidy(event.currentTarget);
    onBlur?.(event);
  };
  return (
    <Input
      inputMode="numeric"
      autoComplete="off"
      maxLength={32}
      placeholder={placeholder ?? '如 2017-10-16 或 2017年10月16日'}
      {...props}
      onKeyDown={keyDown}
      onBlur={blur}
    />
  );
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
          : Promise.reject(new Error(`${label}“${value.trim()}”不是有效日期（该日不存在或格式不对），请按 ${TYPED_DATE_FORMS} 填写`)),
    },
  ];
}

/** A time of day as typed: 17:30 (a full-width colon too). */
const TIME_OF_DAY = /^([01]?\d|2[0-3])[:：]([0-5]\d)$/;

/** Form rules for the time of day beside a deadline's date. */
export function timeOfDayRules(label: string): Rule[] {
  return [
    { required: true, whitespace: true, message: `请输入${label}` },
    { pattern: TIME_OF_DAY, message: '时刻格式应为 17:30' },
  ];
}

/**
 * A deadline from a typed day and a time of day on the department's clock, as the API takes it
 * (`2017-10-16T17:30:00+08:00`); null until both read.
 */
export function deadlineOf(date: unknown, time: unknown): string | null {
  const day = typedDateValue(date);
  const clock = typeof time === 'string' ? TIME_OF_DAY.exec(time.trim()) : null;
  if (!day || !clock) return null;
  const offset = utcOffsetOf(departmentZone(), new Date(`${day}T12:00:00Z`));
  return `${day}T${clock[1]!.padStart(2, '0')}:${clock[2]}:00${offset}`;
}
