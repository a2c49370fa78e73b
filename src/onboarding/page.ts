import type { Customer } from '../core/model.ts';
import { OPEN_FOR_CUSTOMER } from './lifecycle.ts';

// The hosted onboarding page: plain HTML with a form, no script, so it works in any browser and
// needs no API key. Every value written into it is escaped.

export const PRODUCTS = ['crypto', 'securities', 'robo', 'roth_ira'] as const;
const PRODUCT_LABELS: Record<string, string> = { crypto: 'Crypto', securities: 'Securities', robo: 'Robo-advisor', roth_ira: 'Roth IRA' };

const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1c2230}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.5rem;margin-top:0}fieldset{border:1px solid #d5d9e0;border-radius:6px;margin:0 0 1.25rem;padding:1rem}
legend{font-weight:600;padding:0 .25rem}label{display:block;font-weight:500;margin-top:.75rem}
input[type=text],input[type=email],input[type=date]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #8a93a3;border-radius:4px;font:inherit}
.check{display:flex;gap:.5rem;align-items:center;font-weight:400;margin-top:.5rem}
.error{color:#a4161a;font-size:.9rem;margin:.25rem 0 0}[aria-invalid=true]{border-color:#a4161a!important}
button{margin-top:1rem;background:#1f4fd1;color:#fff;border:0;border-radius:4px;padding:.65rem 1.25rem;font:inherit;font-weight:600;cursor:pointer}
.status{display:inline-block;padding:.2rem .6rem;border-radius:999px;background:#e6ebf5;font-weight:600}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:.75rem 1rem;margin-bottom:1rem}`;

export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export const messagePage = (title: string, text: string) => layout(title, `<h1>${esc(title)}</h1><p>${esc(text)}</p>`);

export type FormValues = Record<string, string | string[] | undefined>;
export type FormErrors = Record<string, string>;

const isBusiness = (c: Customer) => ['business', 'operator', 'operator_subsidiary'].includes(c.type);

function field(name: string, label: string, values: FormValues, errors: FormErrors, type = 'text', extra = '') {
  const id = `f-${name}`;
  const err = errors[name];
  return `<label for="${id}">${esc(label)}</label><input type="${type}" id="${id}" name="${name}" value="${esc(values[name])}" ${extra}${err ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${err ? `<p class="error" id="${id}-error">${esc(err)}</p>` : ''}`;
}

/** The form's starting values: what the record already holds. */
export function valuesOf(c: Customer): FormValues {
  return {
    name: c.name ?? '',
    first_name: c.first_name ?? '',
    last_name: c.last_name ?? '',
    email: c.email ?? '',
    country: c.country ?? '',
    date_of_birth: c.date_of_birth ?? '',
    organization_number: String((c.company as { organization_number?: string } | null)?.organization_number ?? ''),
    products: c.product_accounts.map((p) => p.product),
  };
}

const STATUS_TEXT: Record<string, string> = {
  submitted: 'Thank you: your application is submitted and waits for review.',
  under_review: 'Your application is being reviewed.',
  compliance_review: 'Your application is with our compliance team.',
  approved: 'Your application is approved. Welcome!',
  declined: 'Your application was not approved.',
  completed: 'Your application is complete.',
};

export function applicationPage(c: Customer, values: FormValues, errors: FormErrors): string {
  const app = c.application!;
  const title = 'Complete your application';
  const status = `<p>Application <code>${esc(app.id)}</code>: <span class="status" id="application-status">${esc(app.status.replaceAll('_', ' '))}</span></p>`;
  if (!OPEN_FOR_CUSTOMER.includes(app.status)) {
    return layout(title, `<h1>${esc(title)}</h1>${status}<p>${esc(STATUS_TEXT[app.status] ?? '')}</p>`);
  }
  const note = (app as { note?: string | null }).note;
  const products = Array.isArray(values.products) ? values.products : values.products ? [values.products] : [];
  const business = isBusiness(c);
  const errorCount = Object.keys(errors).length;
  return layout(
    title,
    `<h1>${esc(title)}</h1>${status}
${note ? `<div class="note" role="note"><strong>We need more information:</strong> ${esc(note)}</div>` : ''}
${errorCount ? `<p class="error" role="alert">Please correct ${errorCount === 1 ? 'the field' : `the ${errorCount} fields`} marked below.</p>` : ''}
<form method="post" novalidate>
<fieldset><legend>${business ? 'Your business' : 'About you'}</legend>
${business ? field('name', 'Legal name of the business', values, errors, 'text', 'autocomplete="organization" required') + field('organization_number', 'Registration number (optional)', values, errors) : ''}
${field('email', 'Email', values, errors, 'email', 'autocomplete="email" required')}
${field('country', 'Country (two-letter code, e.g. DK)', values, errors, 'text', 'autocomplete="country" maxlength="2" required')}
</fieldset>
<fieldset id="identity"><legend>Identity${business ? ' of the person applying' : ''}</legend>
${field('first_name', 'First name', values, errors, 'text', 'autocomplete="given-name" required')}
${field('last_name', 'Last name', values, errors, 'text', 'autocomplete="family-name" required')}
${field('date_of_birth', 'Date of birth', values, errors, 'date', 'required')}
</fieldset>
<fieldset><legend>Products you want (optional)</legend>
${PRODUCTS.map((p) => `<label class="check"><input type="checkbox" name="products" value="${p}"${products.includes(p) ? ' checked' : ''}> ${esc(PRODUCT_LABELS[p])}</label>`).join('\n')}
</fieldset>
<label class="check"><input type="checkbox" name="confirm" value="yes" id="f-confirm"${values.confirm === 'yes' ? ' checked' : ''}${errors.confirm ? ' aria-invalid="true" aria-describedby="f-confirm-error"' : ''}> I confirm these details are correct</label>
${errors.confirm ? `<p class="error" id="f-confirm-error">${esc(errors.confirm)}</p>` : ''}
<button type="submit">Submit application</button>
</form>`,
  );
}
