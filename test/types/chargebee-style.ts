import type {} from 'paylit/global'; // what `/// <reference types="paylit/global" />` gives an installed package
/**
 * A merchant integration written as Chargebee.js's docs show it, with only `Chargebee` → `Paylit` replaced. It is
 * type-checked by `npm test` (tsc): if the global's types drift from Chargebee.js's shapes, this stops compiling.
 */

const paylitInstance = Paylit.init({
  site: 'acme-test',
  publishableKey: 'test_pk_123',
  domain: 'https://billing.acme.example',
  iframeOnly: true,
});

declare function fetchFromServer(path: string): Promise<{ hosted_page: { id: string; url: string } }>;

paylitInstance.openCheckout({
  hostedPage: () => fetchFromServer('/api/generate_checkout_new_url').then((r) => r.hosted_page),
  loaded: () => console.log('checkout opened'),
  error: (error) => console.log(error.code, error.message),
  close: () => console.log('checkout closed'),
  success: (hostedPageId, data) => console.log(hostedPageId, data.hosted_page.id, data.redirect_url),
  step: (value) => console.log(value),
  resize: (height) => console.log(height),
});

const cart = paylitInstance.getCart();
const product = paylitInstance.initializeProduct('credits-starter', 1);
product.addAddon('credits-100').addAddon({ id: 'credits-500', quantity: 2 }).incrementAddonQty('credits-500');
product.addCoupon('WELCOME10').setCustomData({ ref: 'newsletter' });
cart.replaceProduct(product);
cart.setCustomer({ email: 'ada@example.com', first_name: 'Ada', billing_address: { country: 'US', zip: '10001' } });
paylitInstance.setCheckoutCallbacks((c) => ({
  loaded: () => console.log(c.product?.planId),
  success: (hostedPageId) => console.log(hostedPageId),
}));
void cart.proceedToCheckout();

paylitInstance.setPortalSession(() => fetch('/api/generate_portal_session').then((r) => r.json() as Promise<{ id: string; access_url: string }>));
const paylitPortal = paylitInstance.createPaylitPortal();
paylitPortal.openSection(
  { sectionType: Paylit.getPortalSections().ADDRESS },
  { loaded: () => console.log('loaded'), close: () => console.log('closed'), visit: (section) => console.log(section) },
);
paylitPortal.openSection('ADDRESS');
paylitPortal.open({ subscriptionChanged: (data) => console.log(data.subscription.id) }, { sectionType: Paylit.getPortalSections().SUBSCRIPTION_DETAILS, params: { subscriptionId: 'sub_1' } });
Paylit.registerAgain();
window.Paylit.getInstance().closeAll();
paylitInstance.logout();

// @ts-expect-error: a section type that does not exist
paylitPortal.openSection({ sectionType: 'portal_nonsense' });
// @ts-expect-error: site is required
Paylit.init({ publishableKey: 'x' });
