// The element tests of <paylit-plan-picker>, run against the sources and the built bundle (./index.ts).
import { expect } from '@esm-bundle/chai';
import type { PaylitPlanPicker } from '../../../src/components/plan-picker/plan-picker.js';
import { $, $$, cleanup, deepActive, expectAccessible, key, mount, plans, settle, text, until } from '../support.js';

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

    it('says each thing once on a card: a detail (trial, setup, free units) is not shown beside a description that says it', async () => {
      const el = mount<PaylitPlanPicker>('<paylit-plan-picker></paylit-plan-picker>');
      const fold = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      const cards = () => $$(el, '[role="radio"]').map((c) => ({
        price: c.querySelector('.price')!.textContent!.trim(),
        description: c.querySelector('[part~="description"]')?.textContent ?? '',
        details: (c.querySelector('[part~="details"]')?.textContent ?? '').split('·').map((d) => d.trim()).filter(Boolean),
      }));
      // The demo's catalog: no description restates its card's price or details.
      el.plans = plans.filter((p) => ['credits-starter', 'storage-per-gb', 'pro-trial'].includes(p.id));
      await settle(el);
      expect(cards()).to.have.length(3);
      for (const c of cards()) for (const said of [c.price, ...c.details]) expect(fold(c.description), c.description).not.to.contain(fold(said));
      expect(cards()[2]!.details).to.deep.equal(['14-day free trial', '+ $99.00 setup']);
      // A merchant's description that says the trial: the card does not say it again, and still says the rest.
      const pro = plans.find((p) => p.id === 'pro-trial')!;
      el.plans = [{ ...pro, description: 'Start with a 14-Day free trial!' }, { ...pro, id: 'pro-b', description: 'A 14-day trial.' }];
      await settle(el);
      expect(cards().map((c) => c.details)).to.deep.equal([['+ $99.00 setup'], ['14-day free trial', '+ $99.00 setup']]);
      expect(cards()[0]!.description).to.equal('Start with a 14-Day free trial!');
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
