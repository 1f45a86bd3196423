// The elements from the sources.
import '../../src/components/index.js';
import { expect } from '@esm-bundle/chai';
import { deferAddressLists, type PaylitAddress } from '../../src/components/address/address.js';
import { $, cleanup, mount, settle, until } from './support.js';
import { addonPickerSuite, addressSuite, checkoutSuite, creditBalanceSuite, planPickerSuite } from './suites/index.js';

planPickerSuite();
addonPickerSuite();
addressSuite();
creditBalanceSuite();
checkoutSuite();

// The sources only: the page-wide switch is the sources' module state (the hosted checkout's, src/hosted/checkout.ts).
describe('<paylit-address> with its lists deferred (the hosted checkout until it has said loaded)', () => {
  afterEach(cleanup);
  const address = async (value: object) => {
    const el = mount<PaylitAddress>('<paylit-address without-name></paylit-address>');
    el.value = value;
    await settle(el);
    return el;
  };
  const select = (el: PaylitAddress, id: string) => $(el, `#${id}`) as HTMLSelectElement;

  it('shows the chosen country and state as before, with the full lists once the page says so, the same size', async () => {
    let release!: () => void;
    deferAddressLists(new Promise<void>((r) => (release = r)));
    const el = await address({ country: 'US', state_code: 'NY' });
    const country = select(el, 'country');
    const state = select(el, 'state_code');
    expect([...country.options].map((o) => o.value)).to.deep.equal(['US']);
    expect(country.selectedOptions[0]!.text).to.equal('United States');
    expect([...state.options].map((o) => o.value)).to.deep.equal(['', 'NY']);
    expect(state.value).to.equal('NY');
    const box = [country.getBoundingClientRect().width, state.getBoundingClientRect().width, el.getBoundingClientRect().height];
    release();
    await until(() => country.options.length === 249, 'the full country list');
    await settle(el);
    expect(state.options.length).to.equal(60);
    expect([country.value, state.value]).to.deep.equal(['US', 'NY']);
    expect([country.getBoundingClientRect().width, state.getBoundingClientRect().width, el.getBoundingClientRect().height]).to.deep.equal(box);
    expect(el.value).to.deep.equal({ country: 'US', state_code: 'NY' });
  });

  it('brings the full lists in at the first focus inside, before a select can be opened or typed in', async () => {
    deferAddressLists(new Promise<void>(() => {}));
    const el = await address({ country: 'DE' });
    expect(select(el, 'country').options.length).to.equal(1);
    (el.renderRoot.querySelector('#line1') as HTMLInputElement).focus();
    await settle(el);
    expect(select(el, 'country').options.length).to.equal(249);
    expect(select(el, 'country').value).to.equal('DE');
    // The switch off again for whatever runs next.
    deferAddressLists(Promise.resolve());
    await Promise.resolve();
  });
});
