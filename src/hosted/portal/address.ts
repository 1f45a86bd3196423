import type { Address } from '../../core/schemas/address.js';
import { asAdapterError } from '../../adapter/errors.js';
import '../../components/address/define.js';
import type { PaylitAddress } from '../../components/address/address.js';
import type { Ctx } from './ui.js';

/** ADDRESS: the billing address (and the shipping address, where the customer has one); Save sends both. */
export async function addressSection(c: Ctx): Promise<HTMLElement[]> {
  const { api, e } = c;
  const data = await api.readPortalSection('address');
  const form = document.createElement('form');
  form.noValidate = true;
  const billing = document.createElement('paylit-address') as PaylitAddress;
  billing.kind = 'billing';
  if (e.locale) billing.setAttribute('locale', e.locale);
  billing.value = data.billing_address ?? {};
  const shipping = data.shipping_address ? (document.createElement('paylit-address') as PaylitAddress) : undefined;
  // Alone, the billing address needs no legend under the section's own heading; beside a shipping address it does.
  billing.withoutLegend = !shipping;
  if (shipping) {
    shipping.kind = 'shipping';
    if (e.locale) shipping.setAttribute('locale', e.locale);
    shipping.value = data.shipping_address!;
  }
  const status = Object.assign(document.createElement('p'), { className: 'status', role: 'status' });
  const save = Object.assign(document.createElement('button'), { type: 'submit', className: 'btn primary', textContent: 'Save address' });
  const actions = Object.assign(document.createElement('div'), { className: 'actions' });
  actions.append(save);
  form.append(billing, ...(shipping ? [shipping] : []), actions, status);
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    if (save.disabled) return;
    status.textContent = '';
    if (!billing.reportValidity() || (shipping && !shipping.reportValidity())) return;
    save.disabled = true;
    status.textContent = 'Saving…';
    try {
      const r = await api.savePortalSection('address', { billing_address: billing.value as Address, ...(shipping && { shipping_address: shipping.value as Address }) });
      status.textContent = 'Your address is saved.';
      e.post('customer_changed', { customer_id: r.customer?.id ?? '' });
    } catch (err) {
      const a = asAdapterError(err);
      const m = /^(billing|shipping)_address\[(\w+)\]$/.exec(a.param ?? '');
      const target = m?.[1] === 'shipping' ? shipping : billing;
      if (m && target) target.serverErrors = { [m[2]!]: a.message };
      status.textContent = a.message;
    } finally {
      save.disabled = false;
    }
  };
  return [form];
}
