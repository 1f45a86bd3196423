/// <reference types="paylit/global" />
// A browser app's TypeScript against the installed package (test/package-check.mjs): the elements by tag and by
// class, their events, a class module that registers nothing, the adapter, the core, and the script tag's global.
import 'paylit/elements';
import { type CheckoutSuccessDetail, PaylitCheckout, PaylitPlanPicker, setDefaultLocale } from 'paylit/elements';
import { PaylitAddress } from 'paylit/elements/address';
import { HttpAdapter } from 'paylit/adapter';
import { type Plan, estimateNewSubscription } from 'paylit';

const checkout: PaylitCheckout = document.createElement('paylit-checkout');
checkout.addEventListener('paylit-checkout-success', (e) => {
  const detail: CheckoutSuccessDetail = e.detail;
  console.log(detail);
});
const picker = document.querySelector('paylit-plan-picker');
if (picker instanceof PaylitPlanPicker) console.log(picker.value);
const address: PaylitAddress | null = document.querySelector('paylit-address');
setDefaultLocale('fr');
declare const plans: Plan[];
console.log(address, HttpAdapter, estimateNewSubscription, plans);

const paylit = Paylit.init({ site: 'acme', publishableKey: 'test_pk_123', domain: 'https://billing.acme.example' });
paylit.setPortalSession(() => fetch('/api/portal_session').then((r) => r.json()));
paylit.createPaylitPortal().openSection('ADDRESS', { close: () => console.log('closed') });
window.Paylit.getInstance();
