// The element tests, written once and run twice: against the sources and against the built dist/paylit-elements.js
// (Vite can ship code that only fails in a browser). The caller registers the elements first.
import { expect } from '@esm-bundle/chai';
import type { PaylitAddonPicker } from '../../src/components/addon-picker/addon-picker.js';
import type { PaylitAddress } from '../../src/components/address/address.js';
import type { PaylitCheckout } from '../../src/components/checkout/checkout.js';
import type { PaylitCreditBalance } from '../../src/components/credit-balance/credit-balance.js';
import type { PaylitPlanPicker } from '../../src/components/plan-picker/plan-picker.js';
import { $, $$, addons, cleanup, deepActive, expectAccessible, FakeAdapter, key, mount, packs, plans, settle, until } from './support.js';

const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

export function planPickerSuite(): void {
  describe('<paylit-plan-picker>', () => {
    afterEach(cleanup);

    it('renders the active plans of one currency and period, with toggles for the others', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker></paylit-plan-picker>');
      el.plans = plans.filter((p) => p.id.startsWith('grow') || p.id.startsWith('hustle') || p.id.startsWith('scale'));
      await settle(el);
      const cards = $$(el, '[role="radio"]');
      expect(cards.map((c) => c.querySelector('.name')!.textContent)).to.deep.equal(['Grow, monthly', 'Hustle, monthly', 'Scale, monthly']); // the customer-facing invoice names
      expect(cards[0]!.textContent).to.contain('$19.00 / month');
      const toggles = $$(el, '[part~="toggle"]');
      expect(toggles.map((t) => t.getAttribute('aria-label'))).to.deep.equal(['Billing period', 'Currency']);
      $$(el, '[part~="toggle"] button').find((b) => b.textContent === 'EUR')!.click();
      await settle(el);
      expect($$(el, '.name').map((n) => n.textContent)).to.deep.equal(['Grow, monthly', 'Hustle, monthly', 'Scale, monthly']);
      expect($(el, '.price')!.textContent).to.contain('€');
      await expectAccessible(el, 'filled');
    });

    it('is a radio group with a roving tabindex: arrows choose and wrap, Home and End jump, change fires', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker></paylit-plan-picker>');
      el.plans = plans.filter((p) => /^(grow|hustle|scale)-monthly$/.test(p.id));
      await settle(el);
      const changes: string[] = [];
      el.addEventListener('change', () => changes.push(el.value));
      const radios = () => $$(el, '[role="radio"]');
      expect(radios().map((r) => r.tabIndex)).to.deep.equal([0, -1, -1]);
      radios()[0]!.focus();
      key(radios()[0]!, 'ArrowRight');
      await settle(el);
      expect(el.value).to.equal('hustle-monthly');
      expect(radios()[1]!.getAttribute('aria-checked')).to.equal('true');
      expect(deepActive()).to.equal(radios()[1]);
      key(radios()[1]!, 'End');
      await settle(el);
      key(radios()[2]!, 'ArrowDown'); // wraps to the first
      await settle(el);
      expect(el.value).to.equal('grow-monthly');
      expect(radios().map((r) => r.tabIndex)).to.deep.equal([0, -1, -1]);
      expect(changes).to.deep.equal(['hustle-monthly', 'scale-monthly', 'grow-monthly']);
    });

    it('is form-associated: required until a plan is chosen, submits the plan id, resets', async () => {
      const form = mount<HTMLFormElement>('<form><paylit-plan-picker name="plan_id" required></paylit-plan-picker></form>');
      const el = form.querySelector('paylit-plan-picker')!;
      el.plans = plans.filter((p) => p.id === 'credits-starter' || p.id === 'grow-monthly');
      await settle(el);
      expect(form.checkValidity()).to.equal(false);
      expect(el.validity.valueMissing).to.equal(true);
      await expectAccessible(el, 'invalid');
      $$(el, '[role="radio"]')[1]!.click();
      await settle(el);
      expect(form.checkValidity()).to.equal(true);
      expect(new FormData(form).get('plan_id')).to.equal(el.value);
      form.reset();
      await settle(el);
      expect(el.value).to.equal('');
    });

    it('renders catalog text as text, never HTML', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker></paylit-plan-picker>');
      const evil = '<img src=x onerror="window.__paylitXss=1">';
      el.plans = [{ ...plans[0]!, name: evil.slice(0, 50), description: `${evil} <script>window.__paylitXss=2</script>` }];
      await settle(el);
      await new Promise((r) => setTimeout(r, 50));
      expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
      expect(text(el)).to.contain('<img src=x');
      expect((window as { __paylitXss?: number }).__paylitXss).to.equal(undefined);
    });

    it('refuses bad plans with a message naming the field, keeping the old ones', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker></paylit-plan-picker>');
      el.plans = plans.slice(0, 2);
      expect(() => (el.plans = [{ ...plans[0]!, price: -5 }])).to.throw(/<paylit-plan-picker>: plans\[0\]\.price must be at least 0/);
      expect(() => (el.plans = 'nope' as never)).to.throw(/plans/);
      expect(el.plans).to.have.length(2);
    });

    it('speaks German and lays Arabic out right to left', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker locale="de-DE"></paylit-plan-picker>');
      el.plans = plans.filter((p) => p.id === 'grow-monthly');
      await settle(el);
      await until(() => text(el).includes('Monat'), 'the German catalog');
      expect($(el, '.price')!.textContent).to.match(/19,00\s\$ \/ Monat/);
      expect($(el, '[role="radiogroup"]')!.getAttribute('aria-label')).to.equal('Tarif wählen');
      el.locale = 'ar';
      await settle(el);
      await until(() => text(el).includes('شهر'), 'the Arabic catalog');
      expect($(el, '[part="base"]')!.getAttribute('dir')).to.equal('rtl');
      await expectAccessible(el, 'rtl');
    });

    it('shows an empty state when nothing is on offer', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker></paylit-plan-picker>');
      await settle(el);
      expect($(el, '[role="status"]')!.textContent).to.contain('No plans');
      await expectAccessible(el, 'empty');
    });
  });
}

export function addonPickerSuite(): void {
  describe('<paylit-addon-picker>', () => {
    afterEach(cleanup);
    const picker = async (planId: string) => {
      const el = mount<PaylitAddonPicker>(`<paylit-addon-picker plan-id="${planId}"></paylit-addon-picker>`);
      el.plans = plans;
      el.addons = addons;
      await settle(el);
      return el;
    };

    it('attaches mandatory addons locked with the reason, and lists recommended ones first', async () => {
      const scale = await picker('scale-monthly');
      const included = $$(scale, '[part~="included"] li');
      expect(included.map((li) => li.querySelector('.name')!.textContent)).to.deep.equal(['Priority support', 'Advanced analytics']);
      expect(included[0]!.textContent).to.contain('Included with Scale, monthly; it cannot be removed.');
      expect(included[0]!.querySelector('button')).to.equal(null);
      await expectAccessible(scale, 'mandatory');
      const hustle = await picker('hustle-monthly');
      const suggested = $$(hustle, '[part~="suggested"] li');
      expect(suggested.map((li) => li.querySelector('.name')!.textContent!.replace('Recommended', ''))).to.deep.equal(['Priority support', 'Advanced analytics']);
      expect(suggested[0]!.textContent).to.contain('Recommended');
    });

    it('needs a pack on credits-starter; the dropdown adds one by keyboard, positioned only while open', async () => {
      const el = await picker('credits-starter');
      const changes: unknown[] = [];
      el.addEventListener('change', () => changes.push(el.value));
      expect(el.validity.valueMissing).to.equal(true);
      expect(el.reportValidity()).to.equal(false);
      await settle(el);
      expect($(el, '#error')!.textContent).to.equal('Choose a credit pack to continue.');
      await expectAccessible(el, 'invalid');
      const button = $(el, '[part~="add-button"]')!;
      expect(button.textContent).to.contain('Add a pack');
      button.click();
      await settle(el);
      const menu = $(el, '[popover]')!;
      expect(menu.matches(':popover-open')).to.equal(true);
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      await until(() => menu.style.top !== '', 'Floating UI to position the menu');
      await expectAccessible(el, 'menu open');
      // Open, it follows its button when the page moves it.
      const pushDown = () => {
        const d = document.createElement('div');
        d.style.height = '120px';
        el.before(d);
      };
      const openTop = menu.style.top;
      pushDown();
      await until(() => menu.style.top !== openTop, 'the open menu to follow its button');
      expect(deepActive()?.getAttribute('role')).to.equal('option');
      key(deepActive()!, 'ArrowDown');
      expect(deepActive()!.textContent).to.contain('500 credits');
      key(deepActive()!, 'Enter');
      await settle(el);
      expect(menu.matches(':popover-open')).to.equal(false);
      expect(el.value).to.deep.equal([{ id: 'credits-500', quantity: 1 }]);
      expect(changes).to.have.length(1);
      expect(el.validity.valid).to.equal(true);
      // Closed, autoUpdate is gone: the same move changes nothing.
      const closedTop = menu.style.top;
      pushDown();
      for (let i = 0; i < 6; i++) await new Promise((r) => requestAnimationFrame(r));
      expect(menu.style.top).to.equal(closedTop);
      await expectAccessible(el, 'filled');
    });

    it('Escape and an outside click close the dropdown; Escape returns focus to its button', async () => {
      const el = await picker('credits-starter');
      const button = $(el, '[part~="add-button"]')!;
      button.click();
      await settle(el);
      key(deepActive()!, 'Escape');
      await settle(el);
      expect($(el, '[popover]')!.matches(':popover-open')).to.equal(false);
      expect(deepActive()).to.equal(button);
      button.click();
      await settle(el);
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      await settle(el);
      expect($(el, '[popover]')!.matches(':popover-open')).to.equal(false);
    });

    it('steppers: arrow keys on the input, labelled buttons that disable at the limits, and a message for a bad number', async () => {
      const el = await picker('credits-starter');
      el.value = [{ id: 'credits-100', quantity: 1 }];
      await settle(el);
      const input = $(el, '[role="spinbutton"]') as HTMLInputElement;
      const minus = $(el, 'button[aria-label="Decrease quantity of Credit pack (100 credits)"]') as HTMLButtonElement;
      const plus = $(el, 'button[aria-label="Increase quantity of Credit pack (100 credits)"]') as HTMLButtonElement;
      expect(minus.disabled).to.equal(true);
      key(input, 'ArrowUp');
      await settle(el);
      expect(el.value).to.deep.equal([{ id: 'credits-100', quantity: 2 }]);
      expect(input.getAttribute('aria-valuenow')).to.equal('2');
      expect(minus.disabled).to.equal(false);
      plus.click();
      await settle(el);
      expect(el.value[0]!.quantity).to.equal(3);
      key(input, 'End');
      await settle(el);
      expect(el.value[0]!.quantity).to.equal(999);
      expect(plus.disabled).to.equal(true);
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await settle(el);
      expect(el.validity.badInput).to.equal(true);
      expect($(el, '#error')!.textContent).to.equal('Enter a whole number from 1 to 999.');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(el.value[0]!.quantity).to.equal(999); // the last good quantity stays
      await expectAccessible(el, 'invalid quantity');
      ($(el, 'button.remove') as HTMLButtonElement).click();
      await settle(el);
      expect(el.value).to.deep.equal([]);
    });

    it('keeps only the choices a new plan allows', async () => {
      const el = await picker('hustle-monthly');
      el.value = [{ id: 'extra-seat', quantity: 2 }, { id: 'priority-support', quantity: 1 }];
      el.planId = 'grow-monthly';
      await settle(el);
      expect(el.value).to.deep.equal([{ id: 'extra-seat', quantity: 2 }]);
    });
  });
}

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
      expect(changes).to.equal(3);
      expect(() => (el.value = { country: 'Canada' })).to.throw(/<paylit-address>: value\.country has the wrong format/);
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

export function creditBalanceSuite(): void {
  describe('<paylit-credit-balance>', () => {
    afterEach(cleanup);
    const balance = async (b: number, threshold = 100) => {
      const el = mount<PaylitCreditBalance>('<paylit-credit-balance></paylit-credit-balance>');
      el.packs = packs;
      el.threshold = threshold;
      el.balance = b;
      await settle(el);
      return el;
    };
    const buttons = (el: Element) => $$(el, '[popover] button');

    it('above the threshold shows the balance only; below it opens the top-up offer', async () => {
      const ok = await balance(500);
      expect($(ok, '.balance')!.textContent).to.contain('500 credits left');
      expect($(ok, '[popover]')!.matches(':popover-open')).to.equal(false);
      await expectAccessible(ok, 'closed');
      const low = await balance(40);
      await until(() => $(low, '[popover]')!.matches(':popover-open'), 'the popover');
      expect(buttons(low).map((b) => b.textContent!.trim())).to.deep.equal(['Replenish now', 'Add at next renewal', 'Change pack', 'No thanks']);
      expect($(low, '#offer-text')!.textContent).to.contain('Top up with 100 credits for $10.00.');
      await expectAccessible(low, 'open');
    });

    it('fires a cancelable paylit-topup-request; cancelled, the offer stays open', async () => {
      const el = await balance(10);
      const seen: unknown[] = [];
      el.addEventListener('paylit-topup-request', (e) => {
        seen.push(e.detail);
        if (seen.length === 1) e.preventDefault();
      });
      buttons(el)[0]!.click();
      await settle(el);
      expect(seen[0]).to.deep.equal({ choice: 'replenish_now', addonId: 'credits-100', quantity: 1 });
      expect(el.open).to.equal(true);
      buttons(el)[1]!.click();
      await settle(el);
      expect(seen[1]).to.deep.equal({ choice: 'add_at_renewal', addonId: 'credits-100', quantity: 1 });
      expect(el.open).to.equal(false);
    });

    it('Change pack lists the packs; the one picked is requested', async () => {
      const el = await balance(10);
      let detail: unknown;
      el.addEventListener('paylit-topup-request', (e) => (detail = e.detail));
      buttons(el)[2]!.click();
      await settle(el);
      const radios = $$(el, 'input[name="pack"]') as HTMLInputElement[];
      expect(radios).to.have.length(3);
      await expectAccessible(el, 'packs');
      radios[1]!.click();
      await settle(el);
      buttons(el)[0]!.click();
      await settle(el);
      expect(detail).to.deep.equal({ choice: 'change_pack', addonId: 'credits-500', quantity: 1 });
      expect(el.pack).to.equal('credits-500');
    });

    it('an offer it opened for a low balance closes when the balance recovers; one the customer opened stays', async () => {
      const el = await balance(0, 50);
      expect(el.open).to.equal(true);
      el.balance = 100;
      await settle(el);
      expect(el.open).to.equal(false);
      expect($(el, '[popover]')!.matches(':popover-open')).to.equal(false);
      el.show();
      await settle(el);
      el.balance = 200;
      await settle(el);
      expect(el.open).to.equal(true);
    });

    it('opens when the packs arrive after the balance', async () => {
      const el = mount<PaylitCreditBalance>('<paylit-credit-balance balance="5" threshold="50"></paylit-credit-balance>');
      await settle(el);
      expect(el.open).to.equal(false);
      el.packs = packs;
      await settle(el);
      expect(el.open).to.equal(true);
    });

    it('Escape and an outside click close it; it stays closed until the balance changes', async () => {
      const el = await balance(10);
      el.show();
      await settle(el);
      key(deepActive()!, 'Escape');
      await settle(el);
      expect(el.open).to.equal(false);
      expect(deepActive()).to.equal($(el, '.balance'));
      el.balance = 10;
      await settle(el);
      expect(el.open).to.equal(false);
      el.balance = 5;
      await settle(el);
      expect(el.open).to.equal(true);
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      await settle(el);
      expect(el.open).to.equal(false);
      expect(() => (el.balance = -1)).to.throw(/<paylit-credit-balance>: balance must be at least 0/);
    });
  });
}

export function checkoutSuite(): void {
  describe('<paylit-checkout>', () => {
    afterEach(cleanup);
    const open = async (adapter = new FakeAdapter(), width = 900) => {
      const box = mount<HTMLDivElement>(`<div style="width:${String(width)}px"><paylit-checkout hosted-page-id="hp_test"></paylit-checkout></div>`);
      const c = box.querySelector('paylit-checkout')!;
      const events: Array<{ type: string; detail: unknown }> = [];
      for (const t of ['paylit-checkout-step', 'paylit-checkout-success', 'paylit-checkout-error']) c.addEventListener(t, (e) => events.push({ type: t, detail: (e as CustomEvent).detail }));
      expect(text(c)).to.equal('');
      c.adapter = adapter;
      await c.updateComplete;
      expect($(c, '[role="status"]')!.textContent).to.contain('Loading checkout');
      await expectAccessible(c, 'loading');
      await until(() => c.status === 'ready' && $(c, '[part~="pay-button"]'), 'the hosted page');
      await settle(c);
      await settle($(c, 'paylit-addon-picker') ?? c);
      return { c, adapter, events };
    };
    const payButton = (c: Element) => $(c, '[part~="pay-button"]') as HTMLButtonElement;
    const due = (c: Element) => $(c, '[part~="total"] strong')!.textContent;
    const picker = (c: Element) => $(c, 'paylit-addon-picker') as HTMLElementTagNameMap['paylit-addon-picker'];
    const fill = async (c: Element, adapter: FakeAdapter, card = '4111111111111111') => {
      const email = $(c, '#email') as HTMLInputElement;
      email.value = 'ada@example.com';
      email.dispatchEvent(new Event('input'));
      const address = $(c, 'paylit-address') as HTMLElementTagNameMap['paylit-address'];
      address.value = { country: 'US', first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'New York', state_code: 'NY', zip: '10001' };
      address.dispatchEvent(new Event('change'));
      adapter.card.element.value = card;
      adapter.card.element.dispatchEvent(new Event('input'));
      await settle(c);
    };

    it('one page: whom you pay, the page\'s plan and no plan picker, the cart, contact, address, card and Pay', async () => {
      const { c, events } = await open();
      expect($(c, '[part~="header"]')!.textContent).to.contain('Inkwell');
      expect($(c, 'paylit-plan-picker')).to.equal(null);
      expect(text(c)).to.contain('Credits Starter');
      for (const sel of ['#email', 'paylit-address', '[part~="pay-button"]', '[part~="summary"]']) expect($(c, sel), sel).not.to.equal(null);
      expect(events[0]).to.deep.equal({ type: 'paylit-checkout-step', detail: { step: 'checkout', previous: undefined } });
      // A $0 plan announces no future charge.
      expect(text(c)).not.to.contain('Then $0.00');
      await expectAccessible(c, 'one page');
    });

    it('refuses to pay without a pack: message by the packs, announced, focus in the picker', async () => {
      const { c, adapter } = await open();
      await fill(c, adapter);
      payButton(c).click();
      await settle(c);
      await new Promise((r) => requestAnimationFrame(r));
      await settle(picker(c));
      expect($(picker(c), '#error')!.textContent).to.equal('Choose a credit pack to continue.');
      expect($(c, '[role="alert"]')!.textContent).to.equal('Choose a credit pack to continue.');
      expect(deepActive()).to.equal($(picker(c), '[part~="add-button"]'));
      expect(adapter.submits).to.have.length(0);
      await expectAccessible(c, 'addon rule');
    });

    it('the page\'s packs come preselected, quantities editable; the summary follows live, without a round trip', async () => {
      const { c, adapter } = await open(new FakeAdapter('credits-starter', { checkout: { kind: 'new', plan_id: 'credits-starter', addons: [{ id: 'credits-500', quantity: 2 }, { id: 'analytics', quantity: 1 }], coupon_ids: [] } }));
      // The page's pack (not an addon the plan does not allow).
      expect(picker(c).value).to.deep.equal([{ id: 'credits-500', quantity: 2 }]);
      expect(due(c)).to.equal('$90.00');
      key($(picker(c), '[role="spinbutton"]')!, 'ArrowUp');
      await settle(picker(c));
      await settle(c);
      expect(due(c)).to.equal('$135.00');
      expect(adapter.saves.length).to.equal(0);
      // Tax follows the address: New York, 8.875%.
      const address = $(c, 'paylit-address') as HTMLElementTagNameMap['paylit-address'];
      address.value = { country: 'US', state_code: 'NY' };
      address.dispatchEvent(new Event('change'));
      await settle(c);
      expect(due(c)).to.equal('$146.98');
      await expectAccessible(c, 'filled');
    });

    it('a declined card: the message by the card, the card focused, not fatal; another card pays once, with a new key', async () => {
      const adapter = new FakeAdapter('credits-starter', { checkout: { kind: 'new', plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 1 }], coupon_ids: [] } });
      const { c, events } = await open(adapter);
      payButton(c).click(); // nothing filled in
      await settle(c);
      expect($(c, '#email-error')!.textContent).to.contain('email address');
      await expectAccessible(c, 'invalid address');
      await fill(c, adapter, '4000000000000002');
      expect(payButton(c).textContent).to.contain('Pay $10.89'); // $10 + 8.875% New York tax
      payButton(c).click();
      payButton(c).click(); // a double click
      await until(() => events.some((e) => e.type === 'paylit-checkout-error'), 'the decline');
      await settle(c);
      expect(adapter.submits).to.have.length(1);
      expect($(c, '#payment-error')!.textContent).to.equal('Your card was declined.');
      expect(deepActive()).to.equal(adapter.card.element);
      expect(events.find((e) => e.type === 'paylit-checkout-error')!.detail).to.deep.include({ code: 'payment_processing_failed', fatal: false });
      await expectAccessible(c, 'declined');
      adapter.card.element.value = '4111111111111111';
      adapter.card.element.dispatchEvent(new Event('input'));
      payButton(c).click();
      await until(() => events.some((e) => e.type === 'paylit-checkout-success'), 'success');
      expect(adapter.submits).to.have.length(2);
      expect(adapter.submits[0]!.key).not.to.equal(adapter.submits[1]!.key);
      expect(adapter.submits[1]!.choices).to.deep.include({ plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 1 }], customer: { email: 'ada@example.com' } });
      await settle(c);
      expect($(c, '[part~="status"]')!.textContent).to.contain('Payment complete');
      expect(events.filter((e) => e.type === 'paylit-checkout-step').map((e) => (e.detail as { step: string }).step)).to.deep.equal(['checkout', 'complete']);
    });

    it('3-D Secure: a modal dialog over the checkout, focus inside and kept there; Escape fails it (the card again), Complete pays', async () => {
      const adapter = new FakeAdapter('credits-starter', { checkout: { kind: 'new', plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 1 }], coupon_ids: [] } });
      const { c, events } = await open(adapter);
      await fill(c, adapter, '4000000000003220');
      payButton(c).click();
      const dialog = () => $(c, 'dialog[part~="challenge"]') as HTMLDialogElement;
      await until(() => dialog().open, 'the challenge');
      await settle(c);
      expect(dialog().matches(':modal')).to.equal(true);
      expect(text(c)).to.contain('Confirm this payment with your bank');
      const buttons = [...dialog().querySelectorAll('button')];
      expect(deepActive()).to.equal(buttons[0]);
      buttons.at(-1)!.focus();
      key(buttons.at(-1)!, 'Tab');
      expect(deepActive()).to.equal(buttons[0]);
      await expectAccessible(c, 'challenge');
      key(buttons[0]!, 'Escape');
      await until(() => !dialog().open && c.status === 'ready', 'the challenge left');
      await settle(c);
      expect(adapter.card.answers).to.deep.equal([['tok_4000000000003220', 'fail']]);
      expect($(c, '#payment-error')!.textContent).to.contain('did not confirm');
      expect(adapter.submits).to.have.length(0);
      payButton(c).click();
      await until(() => dialog().open, 'the challenge again');
      ([...dialog().querySelectorAll('button')][0] as HTMLButtonElement).click();
      await until(() => events.some((e) => e.type === 'paylit-checkout-success'), 'success');
      expect(adapter.submits).to.have.length(1);
      expect(events.filter((e) => e.type === 'paylit-checkout-step').map((e) => (e.detail as { step: string }).step)).to.deep.equal(['checkout', 'authentication', 'checkout', 'authentication', 'checkout', 'complete']);
    });

    it('applies a coupon through the backend and shows a refused one next to the field', async () => {
      const { c } = await open(new FakeAdapter('grow-monthly'));
      expect(due(c)).to.equal('$19.00');
      const input = $(c, '#coupon') as HTMLInputElement;
      input.value = 'NOPE';
      input.dispatchEvent(new Event('input'));
      ($(c, '.coupon [type="submit"]') as HTMLButtonElement).click();
      await until(() => $(c, '#coupon-error')!.textContent !== '', 'the coupon error');
      expect($(c, '#coupon-error')!.textContent).to.equal('coupon "NOPE" does not exist');
      input.value = 'WELCOME10';
      input.dispatchEvent(new Event('input'));
      ($(c, '.coupon [type="submit"]') as HTMLButtonElement).click();
      await until(() => due(c) === '$17.10', 'the discount');
      expect(text(c)).to.contain('Welcome 10%');
    });

    it('an expired page ends the checkout with a fatal error and its message', async () => {
      const adapter = new FakeAdapter();
      adapter.view.hosted_page.expires_at = adapter.view.now - 1;
      const c = mount<PaylitCheckout>('<paylit-checkout hosted-page-id="hp_test"></paylit-checkout>');
      let error: { code?: string; fatal?: boolean } | undefined;
      c.addEventListener('paylit-checkout-error', (e) => (error = e.detail));
      c.adapter = adapter;
      await until(() => error !== undefined, 'the error');
      await settle(c);
      expect(error).to.deep.include({ code: 'hosted_page_expired', fatal: true });
      expect($(c, '[role="alert"]')!.textContent).to.contain('expired');
      expect($(c, '[part~="pay-button"]')).to.equal(null);
    });

    it('shows a load failure inline with a retry', async () => {
      const adapter = new FakeAdapter();
      adapter.failRead = true;
      const c = mount<PaylitCheckout>('<paylit-checkout hosted-page-id="hp_test"></paylit-checkout>');
      let error: unknown;
      c.addEventListener('paylit-checkout-error', (e) => (error = e.detail));
      c.adapter = adapter;
      await until(() => error !== undefined, 'the error');
      await settle(c);
      expect($(c, '[role="alert"]')!.textContent).to.contain('The checkout could not be loaded.');
      expect(error).to.deep.include({ fatal: true });
      await expectAccessible(c, 'load error');
      adapter.failRead = false;
      ($(c, 'button') as HTMLButtonElement).click();
      await until(() => c.status === 'ready', 'the retry');
    });

    it('is usable at 320 px wide: one column, the summary collapsed with its total shown', async () => {
      const { c } = await open(new FakeAdapter('grow-monthly'), 320);
      expect(c.scrollWidth).to.be.at.most(320);
      const toggle = $(c, '.toggle') as HTMLButtonElement;
      expect(getComputedStyle(toggle).display).not.to.equal('none');
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(toggle.textContent).to.contain('$19.00');
      expect(getComputedStyle($(c, '#summary-more')!).display).to.equal('none');
      toggle.click();
      await settle(c);
      expect(getComputedStyle($(c, '#summary-more')!).display).not.to.equal('none');
      await expectAccessible(c, 'narrow');
    });
  });
}
