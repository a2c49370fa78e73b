import { useState } from 'preact/hooks';
import { CUSTOMER_TYPES, KYB_STATUSES, type Customer } from '../../core/model.ts';
import { api, ApiError } from './api.ts';
import { words } from './format.ts';

// Edits the customer's own fields with a partial update. The API validates the whole patch:
// when it refuses, nothing is saved and its message for each field shows beside that field.

const TEXT: [keyof Customer, string, string?][] = [
  ['name', 'Name'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['email', 'Email', 'email'],
  ['phone_number', 'Phone (E.164)', 'tel'],
  ['country', 'Country (ISO code)'],
  ['external_id', 'External id'],
  ['date_of_birth', 'Date of birth', 'date'],
  ['status', 'Status'],
];

export function CustomerEdit({ customer, onSaved }: { customer: Customer; onSaved: (c: Customer) => void }) {
  const initial = Object.fromEntries([...TEXT.map(([k]) => k), 'type', 'kyb_status'].map((k) => [k, (customer[k as keyof Customer] as string | null) ?? '']));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: Event) => setValues({ ...values, [k]: (e.target as HTMLInputElement).value });

  const save = async (e: Event) => {
    e.preventDefault();
    const patch: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(values)) if (v !== initial[k]) patch[k] = v === '' ? null : v.trim();
    if (Object.keys(patch).length === 0) return setMessage('Nothing changed.');
    setBusy(true);
    try {
      onSaved(await api<Customer>('PATCH', `/v1/customers/${customer.id}`, patch));
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : {};
      setErrors(fields);
      setMessage(Object.keys(fields).length ? 'Not saved: correct the fields marked below.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const input = ([k, label, type]: [keyof Customer, string, string?]) => (
    <div class="field">
      <label for={`edit-${k}`}>{label}</label>
      <input
        id={`edit-${k}`}
        name={k}
        type={(type ?? 'text') as 'text'}
        value={values[k]}
        onInput={set(k)}
        aria-invalid={errors[k] ? 'true' : undefined}
        aria-describedby={errors[k] ? `edit-${k}-error` : undefined}
      />
      {errors[k] && (
        <p class="error" id={`edit-${k}-error`}>
          {errors[k]}
        </p>
      )}
    </div>
  );
  const select = (k: string, label: string, options: readonly string[]) => (
    <div class="field">
      <label for={`edit-${k}`}>{label}</label>
      <select id={`edit-${k}`} name={k} value={values[k]} onChange={set(k)}>
        {options.map((o) => (
          <option value={o}>{words(o)}</option>
        ))}
      </select>
      {errors[k] && (
        <p class="error" id={`edit-${k}-error`}>
          {errors[k]}
        </p>
      )}
    </div>
  );
  return (
    <form class="card edit" onSubmit={save} aria-labelledby="edit-title" noValidate>
      <h2 id="edit-title">Edit customer</h2>
      {message && (
        <p class="error" role="alert" id="edit-message">
          {message}
        </p>
      )}
      <div class="form-grid">
        {TEXT.map(input)}
        {select('type', 'Type', CUSTOMER_TYPES)}
        {select('kyb_status', 'KYB status', KYB_STATUSES)}
      </div>
      <button type="submit" disabled={busy}>
        Save changes
      </button>
    </form>
  );
}
