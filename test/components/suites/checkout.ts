// The element tests of <paylit-checkout>, run against the sources and the built bundle (./index.ts).
import { expect } from '@esm-bundle/chai';
import type { PaylitCheckout } from '../../../src/components/checkout/checkout.js';
import { $, $$, addons, cleanup, deepActive, expectAccessible, FakeAdapter, key, mount, packs, settle, text, until } from '../support.js';

export function checkoutSuite(): void {
  describe('<paylit-checkout>', () => {
    afterEach(cleanup);
    const open = async (adapter = new FakeAdapter(), width = 900, attrs = '') => {
      const box = mount<HTMLDivElement>(`<div style="width:${String(width)}px"><paylit-checkout hosted-page-id="hp_test" ${attrs}></paylit-checkout></div>`);
      const c = box.querySelector('paylit-checkout')!;
      const events: Array<{ type: string; detail: unknown }> = [];
      for (const t of ['paylit-checkout-step', 'paylit-checkout-success', 'paylit-checkout-error']) c.addEventListener(t, (e) => events.push({ type: t, detail: (e as CustomEvent).detail }));
      expect(text(c)).to.equal('');
      c.adapter = adapter;
      await c.updateComplete;
      if (!attrs) expect($(c, '[role="status"]')!.textContent).to.contain('Loading checkout');
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
      expect($(c, '#payment-error')!.textContent).to.equal('Your card was declined. Try another card.');
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

    const withPack = () => new FakeAdapter('credits-starter', { checkout: { kind: 'new', plan_id: 'credits-starter', addons: [{ id: 'credits-100', quantity: 1 }], coupon_ids: [] } });
    const typeCard = async (c: Element, adapter: FakeAdapter, number: string) => {
      adapter.card.element.value = number;
      adapter.card.element.dispatchEvent(new Event('input'));
      await settle(c);
    };
    /** Every message the checkout shows (parts named error, with text): the customer reads one at a time. */
    const shownErrors = (c: Element) => $$(c, '[part~="error"]').map((e) => e.textContent!.trim()).filter(Boolean);

    it('a card that is not right: Pay says what is wrong with which field, by the card, once, and focuses it; nothing is charged; put right, it goes', async () => {
      const adapter = withPack();
      const { c, events } = await open(adapter);
      await fill(c, adapter, '424242424242424');
      // Still being typed: nothing said yet.
      expect(shownErrors(c)).to.deep.equal([]);
      payButton(c).click();
      await until(() => events.some((e) => e.type === 'paylit-checkout-error'), 'the card error');
      await settle(c);
      expect(shownErrors(c)).to.deep.equal(['Your card number is incomplete.']);
      expect($(c, '#payment-error')!.textContent).to.equal('Your card number is incomplete.');
      expect(deepActive()).to.equal(adapter.card.element);
      expect(adapter.submits).to.have.length(0);
      expect(c.status).to.equal('ready');
      expect(events.find((e) => e.type === 'paylit-checkout-error')!.detail).to.deep.include({ code: 'incomplete_number', param: 'card[number]', fatal: false });
      await expectAccessible(c, 'card incomplete');
      // Typed in full, and wrong (it fails Luhn): said the moment the field is finished, without Pay.
      await typeCard(c, adapter, '4242424242424241');
      expect(shownErrors(c)).to.deep.equal(['Your card number is invalid.']);
      // Pay again: the same one message, not a second one, and still no charge.
      payButton(c).click();
      await until(() => events.filter((e) => e.type === 'paylit-checkout-error').length === 2, 'the second card error');
      await settle(c);
      expect(shownErrors(c)).to.deep.equal(['Your card number is invalid.']);
      expect(adapter.submits).to.have.length(0);
      // Put right: the message goes, and Pay pays.
      await typeCard(c, adapter, '4242424242424242');
      expect(shownErrors(c)).to.deep.equal([]);
      payButton(c).click();
      await until(() => events.some((e) => e.type === 'paylit-checkout-success'), 'success');
      expect(adapter.submits).to.have.length(1);
    });

    it('a card field\'s problem in the customer\'s language', async () => {
      const adapter = withPack();
      const { c } = await open(adapter, 900, 'locale="de"');
      await until(() => text(c).includes('bezahlen'), 'German');
      await fill(c, adapter, '4242424242424241');
      expect(shownErrors(c)).to.deep.equal(['Ihre Kartennummer ist ungültig.']);
    });

    it('a declined card in the customer\'s language (the server words it in English), each decline its own words', async () => {
      const adapter = withPack();
      const { c, events } = await open(adapter, 900, 'locale="de"');
      await until(() => text(c).includes('bezahlen'), 'German');
      for (const [card, words] of [
        ['4000000000000002', 'Ihre Karte wurde abgelehnt. Versuchen Sie eine andere Karte.'],
        ['4000000000009995', 'Ihre Karte ist nicht ausreichend gedeckt. Versuchen Sie eine andere Karte.'],
      ] as const) {
        await fill(c, adapter, card);
        const before = events.length;
        payButton(c).click();
        await until(() => events.slice(before).some((e) => e.type === 'paylit-checkout-error'), 'the decline');
        await settle(c);
        expect($(c, '#payment-error')!.textContent).to.equal(words);
        expect(text(c)).not.to.contain('Your card');
      }
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
      expect($(c, '#payment-error')!.textContent).to.contain('was not confirmed, so nothing was charged');
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

    /** The end screens, as mounted: the panel, the event the embed forwards, and the colours it is drawn in. */
    const ended = async (adapter: FakeAdapter) => {
      const c = mount<PaylitCheckout>('<paylit-checkout hosted-page-id="hp_test"></paylit-checkout>');
      let error: { code?: string; fatal?: boolean; message?: string } | undefined;
      c.addEventListener('paylit-checkout-error', (e) => (error = e.detail));
      c.adapter = adapter;
      await until(() => error !== undefined, 'the error');
      await settle(c);
      const panel = $(c, '[part~="status"]')!;
      const mark = panel.querySelector('.tick')!;
      const paragraphs = [...panel.querySelectorAll('p')];
      return { c, error: error!, panel, mark, paragraphs, text: getComputedStyle(c).color };
    };

    it('a page paid already, opened again: the success screen\'s tick and what it means, nothing in red, no Pay; still `error` for the embed', async () => {
      const adapter = new FakeAdapter();
      adapter.view.hosted_page.state = 'succeeded';
      const { c, error, panel, mark, paragraphs, text: body } = await ended(adapter);
      expect(error).to.deep.include({ code: 'hosted_page_completed', fatal: true, message: 'This checkout is already complete.' });
      expect(panel.getAttribute('role')).to.equal('status');
      expect(panel.classList.contains('done')).to.equal(true);
      expect(mark.textContent).to.equal('✓');
      expect(paragraphs.map((p) => p.textContent)).to.deep.equal(['This checkout is already complete.', 'There is nothing more to do here, and you will not be charged again.']);
      // Drawn as the success screen is: the tick on the success colour, the sentence in the body's colour, nothing an error.
      const done = mount<HTMLDivElement>('<div></div>');
      expect(getComputedStyle(mark).backgroundColor).to.equal(getComputedStyle(Object.assign(done, { style: 'color: light-dark(#1a7f37, #56d364)' })).color);
      expect(getComputedStyle(paragraphs[0]!).color).to.equal(body);
      expect(shownErrors(c)).to.deep.equal([]);
      expect($(c, '[part~="pay-button"]')).to.equal(null);
      await expectAccessible(c, 'paid');
    });

    it('an expired page ends the checkout with a fatal error and its message: an alert, marked, but calm (not in red, no tick)', async () => {
      const adapter = new FakeAdapter();
      adapter.view.hosted_page.expires_at = adapter.view.now - 1;
      const { c, error, panel, mark, paragraphs, text: body } = await ended(adapter);
      expect(error).to.deep.include({ code: 'hosted_page_expired', fatal: true });
      expect(panel.getAttribute('role')).to.equal('alert');
      expect(mark.textContent).to.equal('!');
      expect(paragraphs.map((p) => [p.textContent, getComputedStyle(p).color])).to.deep.equal([['This checkout has expired. Go back to the shop to start again.', body]]);
      expect($(c, '[part~="pay-button"]')).to.equal(null);
      await expectAccessible(c, 'expired');
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

    it('is usable at 320 px wide: one column, the summary collapsed with its total shown; the toggle says what it does', async () => {
      const { c } = await open(new FakeAdapter('grow-monthly'), 320);
      expect(c.scrollWidth).to.be.at.most(320);
      const toggle = $(c, '.toggle') as HTMLButtonElement;
      const shown = (sel: string) => ($(c, sel) as HTMLElement).getBoundingClientRect().height > 0;
      expect(getComputedStyle(toggle).display).not.to.equal('none');
      // Collapsed: the toggle and its total only (the lines, the packs, the coupon and the total row fold away).
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(toggle.textContent).to.contain('Show order summary');
      expect(toggle.textContent).to.contain('$19.00');
      for (const sel of ['#summary-details', 'paylit-addon-picker', '[part~="coupon"]', '[part~="total"]']) expect(shown(sel), sel).to.equal(false);
      expect(toggle.getAttribute('aria-controls')).to.equal('summary-details');
      toggle.click();
      await settle(c);
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(toggle.textContent).to.contain('Hide order summary');
      for (const sel of ['#summary-details', 'paylit-addon-picker', '[part~="coupon"]', '[part~="total"]']) expect(shown(sel), sel).to.equal(true);
      await expectAccessible(c, 'narrow');
    });

    it('at 320 px, a required pack not chosen yet: the summary opens unfolded, and Pay unfolds it again to show the message by the packs', async () => {
      const { c } = await open(new FakeAdapter('credits-starter'), 320);
      const toggle = $(c, '.toggle') as HTMLButtonElement;
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(($(c, 'paylit-addon-picker') as HTMLElement).getBoundingClientRect().height).to.be.above(0);
      toggle.click();
      await settle(c);
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      ($(c, '[part~="pay-button"]') as HTMLButtonElement).click();
      await settle(c);
      await until(() => toggle.getAttribute('aria-expanded') === 'true', 'the summary unfolded');
      expect(($(c, 'paylit-addon-picker') as HTMLElement).getBoundingClientRect().height).to.be.above(0);
      expect(text(c)).to.contain('Choose a credit pack to continue.');
    });
  });
}
