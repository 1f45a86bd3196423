// The element tests, written once and run twice: against the sources and against the built dist/paylit-elements.js
// (Vite can ship code that only fails in a browser). The caller registers the elements first. One file per element.
export { addonPickerSuite } from './addon-picker.js';
export { addressSuite } from './address.js';
export { checkoutSuite } from './checkout.js';
export { creditBalanceSuite } from './credit-balance.js';
export { planPickerSuite } from './plan-picker.js';
