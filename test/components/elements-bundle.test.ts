// The same tests against the built bundle, dist/paylit-elements.js, with its lazy chunks.
import { addonPickerSuite, addressSuite, checkoutSuite, creditBalanceSuite, planPickerSuite } from './suites/index.js';

await import(/* @vite-ignore */ '/dist/paylit-elements.js' as string);

describe('dist/paylit-elements.js', () => {
  it('registers every element', () => {
    for (const tag of ['paylit-plan-picker', 'paylit-addon-picker', 'paylit-address', 'paylit-checkout', 'paylit-credit-balance']) {
      if (!customElements.get(tag)) throw new Error(`${tag} is not defined by the bundle`);
    }
  });
});
planPickerSuite();
addonPickerSuite();
addressSuite();
creditBalanceSuite();
checkoutSuite();
