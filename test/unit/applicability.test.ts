import { describe, expect, it } from 'vitest';
import { addonRequirement, addonsAfterPlanChange, eventAddonsFor, resolveAddons } from '../../src/core/addon-choice.js';
import { applicableAddons, periodFactor } from '../../src/core/applicability.js';
import { PaylitValidationError } from '../../src/core/errors.js';
import { addon, addons, getPlan, plan } from '../support/catalog.js';

const kinds = (planId: string) =>
  Object.fromEntries(applicableAddons(getPlan(planId), addons).offered.map((o) => [o.addon.id, o.kind]));

describe('applicable addons (seed 001)', () => {
  it('Grow: premium addons are not applicable', () => {
    const k = kinds('grow-monthly');
    expect(k['priority-support']).toBeUndefined();
    expect(k['analytics']).toBeUndefined();
    expect(k['extra-seat']).toBe('optional');
  });
  it('Hustle: premium addons are recommended, listed before optional ones', () => {
    const offered = applicableAddons(getPlan('hustle-monthly'), addons).offered;
    expect(offered.slice(0, 2).map((o) => [o.addon.id, o.kind])).toEqual([
      ['priority-support', 'recommended'],
      ['analytics', 'recommended'],
    ]);
    expect(offered.every((o) => !o.locked)).toBe(true);
  });
  it('Scale: premium addons are mandatory, attached with their quantity and locked', () => {
    const offered = applicableAddons(getPlan('scale-monthly'), addons).offered;
    const mandatory = offered.filter((o) => o.kind === 'mandatory');
    expect(mandatory.map((o) => [o.addon.id, o.quantity, o.locked])).toEqual([
      ['priority-support', 1, true],
      ['analytics', 1, true],
    ]);
    const resolved = resolveAddons(getPlan('scale-monthly'), applicableAddons(getPlan('scale-monthly'), addons), []);
    expect(resolved.map((r) => [r.addon.id, r.quantity, r.chosen])).toEqual([
      ['priority-support', 1, false],
      ['analytics', 1, false],
    ]);
  });
  it('a mandatory addon cannot have its quantity edited, except through mandatory_items_to_remove', () => {
    const scale = getPlan('scale-monthly');
    const app = applicableAddons(scale, addons);
    const seats = plan({ id: 'seats', name: 'Seats', attached_addons: [{ id: 'extra-seat', quantity: 2, type: 'mandatory' }] });
    const seatsApp = applicableAddons(seats, addons);
    expect(() => resolveAddons(seats, seatsApp, [{ id: 'extra-seat', quantity: 3 }])).toThrow(/mandatory.*fixed at 2/);
    expect(resolveAddons(seats, seatsApp, [{ id: 'extra-seat', quantity: 2 }]).map((r) => [r.addon.id, r.chosen])).toEqual([['extra-seat', false]]);
    const removed = resolveAddons(scale, app, [], { mandatoryToRemove: ['analytics'] });
    expect(removed.map((r) => r.addon.id)).toEqual(['priority-support']);
    expect(() => resolveAddons(scale, app, [], { mandatoryToRemove: ['extra-seat'] })).toThrow(/not mandatory/);
  });
  it('only addons in the plan\'s currency are offered', () => {
    expect(kinds('hustle-monthly-eur')['priority-support-eur']).toBe('recommended');
    expect(kinds('hustle-monthly-eur')['priority-support']).toBeUndefined();
  });
  it('restricted: only the addons the plan names', () => {
    expect(Object.keys(kinds('credits-starter')).sort()).toEqual(['credits-100', 'credits-2000', 'credits-500']);
    expect(kinds('credits-starter')['credits-100']).toBe('on_demand');
  });
  it('archived addons are never newly attached', () => {
    const archived = addon({ id: 'old', name: 'Old', status: 'archived', charge_type: 'non_recurring' });
    const p = plan({ id: 'p', name: 'P', addon_applicability: 'restricted', applicable_addons: [{ id: 'old' }] });
    const app = applicableAddons(p, [archived]);
    expect(app.offered).toEqual([]);
    expect(app.unavailable[0]?.reason).toMatch(/archived/);
    expect(() => resolveAddons(p, app, [{ id: 'old' }])).toThrow(/archived/);
    expect(applicableAddons(plan({ id: 'q', name: 'Q' }), [archived]).offered).toEqual([]);
  });
  it('a recurring addon scales with a plan whose period is a whole multiple of its own; other periods are refused', () => {
    const monthly = addon({ id: 'm', name: 'M', price: 100, period: 1, period_unit: 'month' });
    const weekly = addon({ id: 'w', name: 'W', price: 100, period: 1, period_unit: 'week' });
    const quarterly = addon({ id: 'q', name: 'Q', price: 100, period: 3, period_unit: 'month' });
    expect(periodFactor(plan({ id: 'y', name: 'Y', period_unit: 'year' }), monthly)).toEqual({ factor: 12 });
    expect(periodFactor(plan({ id: 'h', name: 'H', period: 6 }), quarterly)).toEqual({ factor: 2 });
    expect(periodFactor(plan({ id: 'd', name: 'D', period: 14, period_unit: 'day' }), weekly)).toEqual({ factor: 2 });
    expect(periodFactor(plan({ id: 'mm', name: 'M' }), weekly)).toEqual({ reason: expect.stringMatching(/does not divide/) });
    expect(periodFactor(plan({ id: 'm2', name: 'M2', period: 2 }), quarterly)).toEqual({ reason: expect.stringMatching(/does not divide/) });
    expect(periodFactor(plan({ id: 'mo', name: 'Mo' }), quarterly)).toHaveProperty('reason');
  });
  it('refuses addons that are unknown, listed twice, or have a bad quantity, naming the param', () => {
    const p = getPlan('credits-starter');
    const app = applicableAddons(p, addons);
    const params = (chosen: Array<{ id: string; quantity?: number }>) => {
      try {
        resolveAddons(p, app, chosen);
        return [];
      } catch (e) {
        return (e as PaylitValidationError).errors.map((x) => x.param);
      }
    };
    expect(params([{ id: 'nope' }])).toEqual(['addons[id][0]']);
    expect(params([{ id: 'credits-100' }, { id: 'credits-100' }])).toEqual(['addons[id][1]']);
    expect(params([{ id: 'credits-100', quantity: 0 }])).toEqual(['addons[quantity][0]']);
    expect(params([{ id: 'priority-support' }])).toEqual(['addons[id][0]']);
  });
  it('an on/off addon has no quantity', () => {
    const p = getPlan('hustle-monthly');
    expect(() => resolveAddons(p, applicableAddons(p, addons), [{ id: 'analytics', quantity: 3 }])).toThrow(/on\/off/);
  });
  it('non-recurring addons are refused when nothing is invoiced now (seed: trial)', () => {
    const p = getPlan('credits-starter');
    expect(() => resolveAddons(p, applicableAddons(p, addons), [{ id: 'credits-100' }], { allowNonRecurring: false })).toThrow(/trial/);
  });
});

describe('event-based addons', () => {
  const fee = addon({ id: 'fee', name: 'Fee', charge_type: 'non_recurring', price: 500 });
  const always = addon({ id: 'always', name: 'Always', charge_type: 'non_recurring', price: 100 });
  const p = plan({
    id: 'p', name: 'P', event_based_addons: [
      { id: 'fee', on_event: 'plan_activation', charge_once: true },
      { id: 'always', on_event: 'subscription_activation', charge_once: false },
    ],
  });
  const app = applicableAddons(p, [fee, always]);
  it('charge_once applies only the first time the event happens', () => {
    expect(eventAddonsFor(app, ['plan_activation']).map((e) => e.addon.id)).toEqual(['fee']);
    expect(eventAddonsFor(app, ['plan_activation'], new Set(['fee']))).toEqual([]);
  });
  it('every time otherwise', () => {
    expect(eventAddonsFor(app, ['subscription_activation'], new Set(['always'])).map((e) => e.addon.id)).toEqual(['always']);
  });
  it('event-based addons are attached automatically, not chosen', () => {
    expect(app.offered.map((o) => o.addon.id)).not.toContain('fee');
    expect(() => resolveAddons(p, app, [{ id: 'fee' }])).toThrow(/attached automatically/);
  });
  it('a recurring addon cannot be event-based', () => {
    const rec = addon({ id: 'rec', name: 'Rec', price: 1 });
    const q = plan({ id: 'q', name: 'Q', event_based_addons: [{ id: 'rec', on_event: 'subscription_creation' }] });
    expect(applicableAddons(q, [rec]).unavailable[0]?.reason).toMatch(/recurring/);
  });
});

describe('plan change (seed 001)', () => {
  it('mandatory addons of the old plan that are not mandatory on the new plan are removed', () => {
    const { keep, removed } = addonsAfterPlanChange(
      getPlan('scale-monthly'),
      applicableAddons(getPlan('hustle-monthly'), addons),
      [{ id: 'priority-support', quantity: 1 }, { id: 'analytics', quantity: 1 }, { id: 'extra-seat', quantity: 3 }],
    );
    expect(removed.map((r) => r.id)).toEqual(['priority-support', 'analytics']);
    expect(keep).toEqual([{ id: 'extra-seat', quantity: 3 }]);
  });
  it('addons the new plan does not allow are removed with a reason', () => {
    const { removed } = addonsAfterPlanChange(getPlan('hustle-monthly'), applicableAddons(getPlan('grow-monthly'), addons), [{ id: 'analytics' }]);
    expect(removed).toEqual([{ id: 'analytics', reason: 'not applicable to the new plan' }]);
  });
});

describe('addon_required (the credit-pack rule)', () => {
  const starter = getPlan('credits-starter');
  const app = applicableAddons(starter, addons);
  it('is not met without a chosen pack', () => {
    expect(addonRequirement(starter, resolveAddons(starter, app, []))).toEqual({ param: 'addons', message: expect.stringMatching(/needs at least one addon/) });
  });
  it('is met with a pack of quantity >= 1', () => {
    expect(addonRequirement(starter, resolveAddons(starter, app, [{ id: 'credits-500', quantity: 2 }]))).toBeUndefined();
  });
  it('mandatory addons do not count', () => {
    const req = plan({ ...getPlan('scale-monthly'), id: 'scale-req', addon_required: true });
    const r = resolveAddons(req, applicableAddons(req, addons), []);
    expect(r).toHaveLength(2);
    expect(addonRequirement(req, r)).toBeDefined();
    expect(addonRequirement(req, resolveAddons(req, applicableAddons(req, addons), [{ id: 'extra-seat', quantity: 1 }]))).toBeUndefined();
  });
});
