// The element tests of <paylit-addon-picker>, run against the sources and the built bundle (./index.ts).
import { expect } from '@esm-bundle/chai';
import type { PaylitAddonPicker } from '../../../src/components/addon-picker/addon-picker.js';
import { $, $$, addons, cleanup, deepActive, expectAccessible, key, mount, plans, settle, until } from '../support.js';

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
      expect(included[0]!.textContent).to.contain('Comes with Scale, monthly; it cannot be removed.');
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
