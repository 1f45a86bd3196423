// The element tests of <paylit-credit-balance>, run against the sources and the built bundle (./index.ts).
import { expect } from '@esm-bundle/chai';
import type { PaylitCreditBalance } from '../../../src/components/credit-balance/credit-balance.js';
import { $, $$, cleanup, deepActive, expectAccessible, key, mount, packs, settle, text, until } from '../support.js';

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
