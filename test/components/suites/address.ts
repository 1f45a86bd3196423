// The element tests of <paylit-address>, run against the sources and the built bundle (./index.ts).
import { expect } from '@esm-bundle/chai';
import type { PaylitAddress } from '../../../src/components/address/address.js';
import { $, $$, cleanup, expectAccessible, mount, settle, until } from '../support.js';

export function addressSuite(): void {
  describe('<paylit-address>', () => {
    afterEach(cleanup);
    const address = async (value: object, attrs = '') => {
      const el = mount<PaylitAddress>(`<paylit-address ${attrs}></paylit-address>`);
      el.value = value;
      await settle(el);
      return el;
    };
    const labels = (el: Element) => $$(el, 'label').map((l) => l.textContent!.replace(' *', '').trim());
    const type = async (el: PaylitAddress, name: string, value: string) => {
      const input = $(el, `[name="${name}"]`) as HTMLInputElement | HTMLSelectElement;
      input.value = value;
      input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
      await settle(el);
    };

    it('lays out the US with states and a ZIP code, and Japan postal code first with prefectures', async () => {
      const us = await address({ country: 'US' });
      expect(labels(us)).to.deep.equal(['Country', 'First name', 'Last name', 'Company (optional)', 'Address', 'Apartment, suite, etc. (optional)', 'City', 'State', 'ZIP code']);
      expect($$(us, '[name="state_code"] option').length).to.equal(60);
      await expectAccessible(us, 'empty');
      const jp = await address({ country: 'JP' }, 'without-name');
      expect(labels(jp)).to.deep.equal(['Country', 'Postal code', 'Prefecture', 'City, ward or village', 'Address', 'Apartment, suite, etc. (optional)']);
      expect($$(jp, '[name="state_code"] option').map((o) => o.textContent)).to.include('Tokyo');
      const de = await address({ country: 'DE' }, 'without-name');
      expect(labels(de)).to.deep.equal(['Country', 'Address', 'Apartment, suite, etc. (optional)', 'Postal code', 'City']);
      const kenya = await address({ country: 'KE' }, 'without-name');
      expect(labels(kenya)).to.include('State, province or region (optional)');
    });

    it('validates required fields and postal-code formats with messages next to the fields', async () => {
      const el = await address({ country: 'GB' }, 'without-name');
      expect(el.checkValidity()).to.equal(false);
      expect(el.reportValidity()).to.equal(false);
      await settle(el);
      expect($(el, '#line1-error')!.textContent).to.equal('Address is required.');
      expect($(el, '#line1')!.getAttribute('aria-invalid')).to.equal('true');
      await expectAccessible(el, 'invalid');
      await type(el, 'line1', '10 Downing Street');
      await type(el, 'city', 'London');
      await type(el, 'zip', '12345');
      expect($(el, '#zip-error')!.textContent).to.equal('Enter a valid Postcode, such as SW1A 1AA.');
      await type(el, 'zip', 'SW1A 2AA');
      expect(el.checkValidity()).to.equal(true);
      expect(el.value).to.deep.equal({ country: 'GB', line1: '10 Downing Street', city: 'London', zip: 'SW1A 2AA' });
      await expectAccessible(el, 'filled');
    });

    it('fires change, submits in the API names, and clears the state when the country changes', async () => {
      const form = mount<HTMLFormElement>('<form><paylit-address without-name></paylit-address></form>');
      const el = form.querySelector('paylit-address')!;
      el.value = { country: 'US' };
      await settle(el);
      let changes = 0;
      el.addEventListener('change', () => changes++);
      await type(el, 'state_code', 'NY');
      expect(el.value).to.deep.equal({ country: 'US', state_code: 'NY', state: 'New York' });
      await type(el, 'line1', '1 Main St');
      expect(new FormData(form).get('billing_address[line1]')).to.equal('1 Main St');
      await type(el, 'country', 'CA');
      expect(el.value.state_code).to.equal(undefined);
      expect(labels(el)).to.include('Province');
      // Canada's provinces come in a chunk of their own, before the form shows Canada: a list, not a text field.
      expect($$(el, 'select[name="state_code"] option').map((o) => o.getAttribute('value'))).to.include.members(['ON', 'QC']);
      await type(el, 'state_code', 'QC');
      expect(el.value).to.deep.include({ country: 'CA', state_code: 'QC', state: 'Quebec' });
      expect(changes).to.equal(4);
      expect(() => (el.value = { country: 'Canada' })).to.throw(/<paylit-address>: value\.country has the wrong format/);
    });

    it('lists every country by its name in the language, sorted, with the value’s (or the language’s region) chosen', async () => {
      const country = (el: PaylitAddress) => $(el, '[name="country"]') as HTMLSelectElement;
      const el = await address({}, 'locale="de-AT" without-name');
      const names = [...country(el).options].map((o) => o.text);
      expect(names.length).to.equal(249);
      expect(names).to.include('Österreich');
      expect(names).to.deep.equal([...names].sort(new Intl.Collator('de-AT').compare));
      expect(country(el).value).to.equal('AT');
      el.value = { country: 'JP' };
      await settle(el);
      expect(country(el).value).to.equal('JP');
      // Other renders keep the same options and mark the one chosen.
      const first = country(el).options[0];
      el.serverErrors = { zip: 'wrong' };
      await settle(el);
      expect(country(el).options[0]).to.equal(first);
      expect(country(el).value).to.equal('JP');
      await type(el, 'country', 'FR');
      expect(el.value.country).to.equal('FR');
      expect(country(el).selectedOptions[0]!.text).to.equal('Frankreich');
      // Another language: the names again, in it; the same country chosen.
      el.setAttribute('locale', 'fr');
      await settle(el);
      expect(country(el).options.length).to.equal(249);
      expect(country(el).value).to.equal('FR');
      expect(country(el).selectedOptions[0]!.text).to.equal('France');
    });

    it('shows a server error next to its field until the field changes', async () => {
      const el = await address({ country: 'US', zip: '00000' }, 'without-name');
      el.serverErrors = { zip: 'is not a deliverable ZIP code' };
      await settle(el);
      expect($(el, '#zip-error')!.textContent).to.equal('is not a deliverable ZIP code');
      await type(el, 'zip', '10001');
      expect($(el, '#zip-error')!.textContent).to.equal('');
    });
  });
}
