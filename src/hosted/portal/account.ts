import { asAdapterError } from '../../adapter/errors.js';
import { accountResult } from '../../adapter/portal-schemas.js';
import { button, type Ctx, el, facts, messages, once } from './ui.js';

const FIELDS = [
  ['first_name', 'First name', 'given-name', 'text'],
  ['last_name', 'Last name', 'family-name', 'text'],
  ['email', 'Email', 'email', 'email'],
  ['company', 'Company', 'organization', 'text'],
  ['phone', 'Phone', 'tel', 'tel'],
] as const;
type Field = (typeof FIELDS)[number][0];

/** ACCOUNT_DETAILS: who the account is; with Edit. */
export async function account(c: Ctx): Promise<HTMLElement[]> {
  const { customer } = await c.api.portalRequest('account', accountResult);
  return [facts(FIELDS.map(([k, label]) => [label, customer[k] ?? undefined])), el('div', { class: 'actions' }, button('Edit', () => c.go('portal_edit_account'), 'primary'))];
}

/** EDIT_ACCOUNT_DETAILS: the contact fields, each with its own error from the server (the checkout's rules). */
export async function editAccount(c: Ctx): Promise<HTMLElement[]> {
  const { customer } = await c.api.portalRequest('account', accountResult);
  const form = el('form', { class: 'fields', noValidate: true });
  const inputs = new Map<Field, { input: HTMLInputElement; error: HTMLElement }>();
  for (const [k, label, autocomplete, type] of FIELDS) {
    const input = el('input', { id: k, name: k, type, autocomplete, value: customer[k] ?? '' });
    const error = el('p', { class: 'field-error', id: `${k}-error` });
    input.setAttribute('aria-describedby', error.id);
    inputs.set(k, { input, error });
    form.append(el('div', { class: 'field' }, el('label', { htmlFor: k, textContent: label }), input, error));
  }
  const m = messages();
  const save = el('button', { type: 'submit', class: 'btn primary', textContent: 'Save' });
  form.append(el('div', { class: 'actions' }, save, button('Back', () => c.go('account_details'))), ...m.nodes);
  form.onsubmit = (ev) => {
    ev.preventDefault();
    for (const { input, error } of inputs.values()) input.removeAttribute('aria-invalid'), (error.textContent = '');
    // Only what changed is sent (an emptied field is kept as it was: the account always has its email).
    const body: Record<string, string> = {};
    for (const [k, { input }] of inputs) if (input.value.trim() !== '' && input.value.trim() !== (customer[k] ?? '')) body[k] = input.value.trim();
    void once(save, m, 'Saving…', async () => {
      try {
        const r = await c.api.portalRequest('account', accountResult, body);
        m.ok('Your details are saved.');
        c.e.post('customer_changed', { customer_id: r.customer.id });
        Object.assign(customer, r.customer);
      } catch (err) {
        const a = asAdapterError(err);
        const target = inputs.get(a.param as Field);
        if (target) {
          target.input.setAttribute('aria-invalid', 'true');
          target.error.textContent = a.message;
          target.input.focus();
        }
        throw err;
      }
    });
  };
  return [form];
}
