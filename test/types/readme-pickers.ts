// The README's plan and addon pickers example, type-checked by `npm test` (tsc): keep the two in step.
import 'paylit/elements';
import { HttpAdapter } from 'paylit/adapter';

// The catalog a browser may see (active plans offered in hosted pages, their addons; no accounting fields), with the
// publishable key; the page's origin must be in the backend's PAYLIT_ALLOWED_ORIGINS.
const backend = new HttpAdapter({ baseUrl: 'http://127.0.0.1:8787', publishableKey: 'test_pk_...' });
const { plans, addons } = await backend.catalog();

const planPicker = document.querySelector('paylit-plan-picker')!;
const addonPicker = document.querySelector('paylit-addon-picker')!;
planPicker.plans = plans;
addonPicker.plans = plans;
addonPicker.addons = addons; // it offers those the chosen plan allows, mandatory ones locked
planPicker.addEventListener('change', () => (addonPicker.planId = planPicker.value));

// Both are form-associated: in a <form>, the plan picker submits the plan id under its `name`, the addon picker
// `addons[id][0]`, `addons[quantity][0]`, ... Or read `value` (a plan id; `[{ id, quantity }]`), as here.
document.querySelector('form')!.addEventListener('submit', (e) => {
  e.preventDefault();
  if (addonPicker.missingRequired) return addonPicker.focus(); // a plan with addon_required and no pack chosen
  // Your server turns the choice into a hosted page (hostedPage.checkoutNew), then Paylit.getInstance().openCheckout.
  void fetch('/api/checkout', { method: 'POST', body: JSON.stringify({ plan_id: planPicker.value, addons: addonPicker.value }) });
});
