import type { SelectHTMLAttributes } from 'react';

/**
 * A plain <select> dressed like antd's. Every option is in the page, reachable by its label
 * (screen readers, `selectOption` in end-to-end tests), and phones open their own picker.
 */
export function NativeSelect<V extends string>({
  value,
  onChange,
  options,
  placeholder,
  className,
  ...rest
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  value: V | null;
  onChange: (value: V | null) => void;
  options: readonly { value: V; label: string }[];
  placeholder?: string;
}) {
  return (
    <select
      {...rest}
      className={['native-select', value === null ? 'native-select-empty' : '', className ?? ''].join(' ').trim()}
      value={value ?? ''}
      onChange={(event) => onChange(event.target.value === '' ? null : (event.target.value as V))}
    >
      <option value="">{placeholder ?? '请选择'}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
