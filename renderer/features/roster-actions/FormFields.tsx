/** The fields of a server's form (XEP-0004 / legacy): directory search and gateway registration. */
import type { ReactNode } from 'react';
import type { FormField } from '../../../preload/contract.ts';

export function FormFields({
  idPrefix,
  fields,
  values,
  onChange,
  disabled,
}: {
  idPrefix: string;
  fields: readonly FormField[];
  values: Readonly<Record<string, string>>;
  onChange: (name: string, value: string) => void;
  disabled: boolean;
}): ReactNode {
  return fields.map((f) => {
    const id = `${idPrefix}-${f.var}`;
    const value = values[f.var] ?? f.value ?? '';
    const label = f.label + (f.required ? ' *' : '');
    switch (f.type) {
      case 'hidden':
        return null;
      case 'fixed':
        return (
          <p key={f.var} className="hint">
            {f.value ?? f.label}
          </p>
        );
      case 'boolean':
        return (
          <label key={f.var} className="checkbox">
            <input
              type="checkbox"
              checked={value === '1' || value === 'true'}
              disabled={disabled}
              onChange={(e) => {
                onChange(f.var, e.target.checked ? '1' : '0');
              }}
            />
            {label}
          </label>
        );
      case 'list-single':
      case 'list-multi':
        return (
          <div key={f.var} className="form-field">
            <label htmlFor={id}>{label}</label>
            <select
              id={id}
              value={value}
              disabled={disabled}
              onChange={(e) => {
                onChange(f.var, e.target.value);
              }}
            >
              <option value="" />
              {(f.options ?? []).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        );
      case 'text-multi':
        return (
          <div key={f.var} className="form-field">
            <label htmlFor={id}>{label}</label>
            <textarea
              id={id}
              value={value}
              readOnly={disabled}
              onChange={(e) => {
                onChange(f.var, e.target.value);
              }}
            />
          </div>
        );
      default:
        return (
          <div key={f.var} className="form-field">
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              type={f.type === 'text-private' ? 'password' : 'text'}
              value={value}
              readOnly={disabled}
              onChange={(e) => {
                onChange(f.var, e.target.value);
              }}
            />
          </div>
        );
    }
  });
}
