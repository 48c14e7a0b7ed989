import { Input, type InputProps } from 'antd';
import { formatDateZh, parseTypedDate } from '../../../../domain/dates.ts';

/** The forms a date may be typed in, as the field's hint and error say. */
export const TYPED_DATE_FORMS = '2017-10-16、2017/10/16 或 2017年10月16日';

/**
 * A date typed as people type it (2017-10-16, 2017/10/16, 2017年10月16日, full-width digits too),
 * kept as typed in the form and shown as the notice writes it (2017年10月16日) once the field is
 * left or Enter is pressed. Enter never saves: the notice form has no submit on Enter.
 */
export function NoticeDateInput({ value, onChange, ...rest }: Omit<InputProps, 'value' | 'onChange'> & { value?: string; onChange?: (value: string) => void }) {
  const tidy = () => {
    const day = parseTypedDate(value ?? '');
    if (day !== null && formatDateZh(day) !== value) onChange?.(formatDateZh(day));
  };
  return (
    <Input
      placeholder="如 2017年10月16日"
      maxLength={20}
      {...rest}
      value={value ?? ''}
      onChange={(event) => onChange?.(event.target.value)}
      onBlur={(event) => {
        tidy();
        rest.onBlur?.(event);
      }}
      onPressEnter={tidy}
    />
  );
}

/** The form rule of a date field: empty, or a day that exists in one of the typed forms (the field's hint lists them). */
export const typedDateRule = {
  validator: (_: unknown, value: string | undefined) =>
    !value || value.trim() === '' || parseTypedDate(value) !== null
      ? Promise.resolve()
      : Promise.reject(new Error(`“${value.trim()}”不是一个存在的日期`)),
};

/** What the form sends for a date field: `YYYY-MM-DD`, or null when empty (an invalid one never gets here: the rule stops the save). */
export function typedDateValue(value: string | undefined): string | null {
  return value ? parseTypedDate(value) : null;
}

/** A stored `YYYY-MM-DD` as the field shows it. */
export function shownDate(value: string | null): string {
  return value ? formatDateZh(value) : '';
}
