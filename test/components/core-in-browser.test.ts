// src/core runs unchanged in Chromium, from the sources and from the built bundle (Vite can ship code that only
// fails in a browser). Same inputs, same numbers as on the server.
import { expect } from '@esm-bundle/chai';
import * as source from '../../src/core/index.js';
import { demoAddons, demoPlans, demoTaxProfile } from '../../src/server/seed/catalog.js';

type Core = typeof source;
const JAN31 = Date.UTC(2025, 0, 31) / 1000;

async function suite(name: string, load: () => Promise<Core>) {
  describe(`src/core in Chromium (${name})`, () => {
    let core: Core;
    before(async () => {
      core = await load();
    });

    it('takes currency minor units from the browser\'s Intl', () => {
      expect(core.minorDigits('USD')).to.equal(2);
      expect(core.minorDigits('JPY')).to.equal(0);
      expect(core.minorDigits('KWD')).to.equal(3);
      expect(core.formatMoney(123456, 'EUR', 'de-DE')).to.match(/1\.234,56\s?€/);
    });

    it('parses the demo catalog with zod/mini schemas', () => {
      const plans = demoPlans.map((p) => core.parseOrThrow(core.planSchema, p));
      expect(plans.find((p) => p.id === 'credits-starter')?.addon_required).to.equal(true);
    });

    it('names the field of bad input', () => {
      let thrown: unknown;
      try {
        core.parseOrThrow(core.addonSchema, { id: 'x', name: 'n'.repeat(51), price: -1 });
      } catch (e) {
        thrown = e;
      }
      expect(thrown, 'parseOrThrow refuses the addon').to.be.instanceOf(core.PaylitValidationError);
      expect((thrown as source.PaylitValidationError).errors.map((x) => x.param)).to.have.members(['name', 'price']);
    });

    it('estimates a credit-pack checkout with the numbers the server charges', () => {
      const addons = demoAddons.map((a) => core.parseOrThrow(core.addonSchema, a));
      const plan = core.parseOrThrow(core.planSchema, demoPlans.find((p) => p.id === 'credits-starter')!);
      const est = core.estimateNewSubscription({ plan, addons: [{ id: 'credits-500', quantity: 2 }] }, { addons, now: JAN31, taxProfile: demoTaxProfile, billingAddress: { country: 'US', state_code: 'NY' } });
      expect(est.invoice_estimate?.sub_total).to.equal(9000);
      expect(est.invoice_estimate?.tax).to.equal(799); // 8.875% of 9000 = 798.75
      expect(est.amount_due_now).to.equal(9799);
      expect(() => core.estimateNewSubscription({ plan }, { addons, now: JAN31 })).to.throw(/needs at least one addon/);
    });
  });
}

await suite('sources', async () => source);
await suite('built bundle dist/paylit-core.js', async () => (await import(/* @vite-ignore */ '/dist/paylit-core.js' as string)) as Core);
