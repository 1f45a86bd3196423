import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { addonSchema } from '../../src/core/schemas/addon.js';
import { browserAddon, browserCoupon, browserHostedPage, browserPlan, browserSubscription } from '../../src/core/schemas/browser.js';
import { couponSchema } from '../../src/core/schemas/coupon.js';
import { hostedPageSchema } from '../../src/core/schemas/hosted-page.js';
import { planSchema } from '../../src/core/schemas/plan.js';
import { subscriptionSchema } from '../../src/core/schemas/subscription.js';
import { demoAddons, demoCoupons, demoPlans } from '../../src/server/seed/catalog.js';

/**
 * The browser's views (src/core/schemas/browser.ts) restate, for the fields the browser reads, what the full resource
 * schemas say: whether a field may be absent, its default, its enumeration, its type. These tests hold the two
 * together, so a default or an enumeration changed on one side only fails here instead of pricing a checkout
 * differently from the server's invoice. Length limits and cross-field rules are the server's alone (by design).
 */

type Def = {
  type: string;
  innerType?: z.ZodMiniType;
  in?: z.ZodMiniType;
  element?: z.ZodMiniType;
  shape?: Record<string, z.ZodMiniType>;
  entries?: Record<string, string>;
  values?: unknown[];
  defaultValue?: unknown;
};
const defOf = (s: z.ZodMiniType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object shape inside a schema (through pipes, as addonSchema's transform). */
function shapeOf(s: z.ZodMiniType): Record<string, z.ZodMiniType> {
  const d = defOf(s);
  if (d.type === 'pipe') return shapeOf(d.in!);
  if (d.shape) return d.shape;
  throw new Error(`no object shape in a ${d.type}`);
}

/** The differences between what the view and the full schema accept and default at `path`, one line each. */
function differences(view: z.ZodMiniType, full: z.ZodMiniType, path: string): string[] {
  const v = defOf(view);
  const f = defOf(full);
  if (v.type === 'pipe') return differences(v.in!, full, path);
  if (f.type === 'pipe') return differences(view, f.in!, path);
  if (v.type !== f.type) return [`${path}: ${v.type} in the view, ${f.type} in the full schema`];
  switch (v.type) {
    case 'optional':
      return differences(v.innerType!, f.innerType!, path);
    case 'default': {
      const out = differences(v.innerType!, f.innerType!, path);
      const [dv, df] = [JSON.stringify(v.defaultValue), JSON.stringify(f.defaultValue)];
      return dv === df ? out : [...out, `${path}: default ${dv} in the view, ${df} in the full schema`];
    }
    case 'enum': {
      const [ev, ef] = [Object.values(v.entries!).sort().join('|'), Object.values(f.entries!).sort().join('|')];
      return ev === ef ? [] : [`${path}: enum ${ev} in the view, ${ef} in the full schema`];
    }
    case 'literal':
      return JSON.stringify(v.values) === JSON.stringify(f.values) ? [] : [`${path}: another literal`];
    case 'array':
      return differences(v.element!, f.element!, `${path}[]`);
    case 'object':
      return fieldDifferences(view, full, path);
    default:
      return [];
  }
}

function fieldDifferences(view: z.ZodMiniType, full: z.ZodMiniType, path: string): string[] {
  const [vs, fs] = [shapeOf(view), shapeOf(full)];
  return Object.entries(vs).flatMap(([key, schema]) =>
    fs[key] ? differences(schema, fs[key], `${path}.${key}`) : [`${path}.${key}: not in the full schema`],
  );
}

const pairs = [
  ['plan', browserPlan, planSchema],
  ['addon', browserAddon, addonSchema],
  ['coupon', browserCoupon, couponSchema],
  ['subscription', browserSubscription, subscriptionSchema],
  ['hosted page', browserHostedPage, hostedPageSchema],
] as const;

describe("the browser's views agree with the full resource schemas", () => {
  for (const [name, view, full] of pairs) {
    it(`${name}: every field the view reads is optional, defaulted and enumerated as in the full schema`, () => {
      expect(fieldDifferences(view, full, name)).toEqual([]);
    });
  }

  it('the comparison sees a drifted default and a drifted enumeration (it can fail)', () => {
    const drifted = z.looseObject({
      price: z._default(z.number(), 1),
      period_unit: z._default(z.enum(['day', 'week']), 'day'),
      nickname: z.string(),
    });
    expect(fieldDifferences(drifted, planSchema, 'plan')).toEqual([
      'plan.price: default 1 in the view, 0 in the full schema',
      'plan.period_unit: enum day|week in the view, day|month|week|year in the full schema',
      'plan.period_unit: default "day" in the view, "month" in the full schema',
      'plan.nickname: not in the full schema',
    ]);
  });

  it("the demo catalog and the least a merchant may send read the same through both: each field the browser reads has the server's value", () => {
    const cases: [z.ZodMiniType, z.ZodMiniType, readonly object[]][] = [
      [browserPlan, planSchema, demoPlans],
      [browserAddon, addonSchema, demoAddons],
      [browserCoupon, couponSchema, demoCoupons],
      // The least a merchant may send: every default comes from the schemas, the addon's period from its rule.
      [browserPlan, planSchema, [{ id: 'p', name: 'P' }]],
      [browserAddon, addonSchema, [{ id: 'a', name: 'A' }, { id: 'b', name: 'B', charge_type: 'non_recurring' }]],
      [browserCoupon, couponSchema, [{ id: 'c', name: 'C', discount_type: 'percentage', discount_percentage: 10 }]],
    ];
    for (const [view, full, resources] of cases) {
      const keys = Object.keys(shapeOf(view));
      for (const resource of resources) {
        const [fromView, fromFull] = [z.parse(view, resource), z.parse(full, resource)] as Record<string, unknown>[];
        const pick = (o: Record<string, unknown>) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
        expect(pick(fromView!)).toEqual(pick(fromFull!));
      }
    }
  });
});
