import { type AddonKind, type Applicability, applicableAddons, type EventAddon, periodFactor } from './applicability.js';
import { type FieldError, type ParamNames, PaylitValidationError, sameNames } from './errors.js';
import type { Addon } from './schemas/addon.js';
import type { AddonEvent, Plan } from './schemas/plan.js';

// What an estimate or a subscription change does with the addons asked for. Apart from applicability.ts, which the
// addon picker renders from, so the elements' first download carries only what shows the offer: this module loads
// with the pricing engine (vite.elements.config.ts, LAZY).

/** Which event-based addons an event attaches, given those already charged once for the subscription. */
export function eventAddonsFor(
  applicability: Applicability,
  events: readonly AddonEvent[],
  chargedBefore: ReadonlySet<string> = new Set(),
): EventAddon[] {
  const out: EventAddon[] = [];
  const now = new Set<string>();
  for (const e of applicability.eventBased) {
    if (!events.includes(e.on_event)) continue;
    if (e.charge_once && (chargedBefore.has(e.addon.id) || now.has(e.addon.id))) continue;
    now.add(e.addon.id);
    out.push(e);
  }
  return out;
}

/** A plan's applicability in an estimate's context: the caller's kept answer where it keeps one (the server's). */
export const applicabilityIn = (ctx: { addons: readonly Addon[]; applicability?: ((plan: Plan) => Applicability) | undefined }, plan: Plan): Applicability =>
  ctx.applicability?.(plan) ?? applicableAddons(plan, ctx.addons);

export interface ChosenAddon {
  readonly id: string;
  readonly quantity?: number | string | undefined;
}

export interface ResolvedAddon {
  readonly addon: Addon;
  readonly quantity: number | string;
  readonly kind: AddonKind;
  /** True when the customer (or merchant) picked it, false when the plan attached it. */
  readonly chosen: boolean;
  readonly periodFactor: number;
}

const positiveQuantity = (q: number | string) => (typeof q === 'number' ? q >= 1 : !/^-|^0+(\.0*)?$/.test(q));

/**
 * Checks the addons a checkout asks for against the plan and attaches the mandatory ones.
 * Errors name the parameter in Chargebee's form (`addons[id][1]`, `addons[quantity][1]`).
 *
 * `allowNonRecurring` is false when nothing is invoiced now (trial, future start): the seed forbids non-recurring
 * addons then. `mandatoryToRemove` is the API-only escape hatch for mandatory addons.
 */
export function resolveAddons(
  plan: Plan,
  applicability: Applicability,
  chosen: readonly ChosenAddon[],
  options: {
    allowNonRecurring?: boolean;
    mandatoryToRemove?: readonly string[];
    param?: string;
    /** Addons already on the subscription: they may stay even if archived since (seed: existing associations remain). */
    existing?: readonly Addon[];
    /** How the caller names the parameters. */
    names?: ParamNames;
  } = {},
): ResolvedAddon[] {
  const param = options.param ?? 'addons';
  const n = options.names ?? sameNames;
  const errors: FieldError[] = [];
  const offered = new Map(applicability.offered.map((o) => [o.addon.id, o]));
  const eventIds = new Set(applicability.eventBased.map((e) => e.addon.id));
  const remove = new Set(options.mandatoryToRemove ?? []);
  const out: ResolvedAddon[] = [];
  const seen = new Set<string>();

  chosen.forEach((c, i) => {
    // The parameter's name is only built for an error (two strings per addon otherwise).
    const fail = (field: 'id' | 'quantity', message: string) => {
      errors.push({ param: n(`${param}[${field}][${String(i)}]`), message });
    };
    if (seen.has(c.id)) return fail('id', `addon "${c.id}" is listed twice`);
    seen.add(c.id);
    let o = offered.get(c.id);
    const kept = options.existing?.find((a) => a.id === c.id);
    if (!o && kept && kept.status === 'archived' && kept.charge_type === 'recurring') {
      const f = periodFactor(plan, kept);
      if ('factor' in f) o = { addon: kept, kind: 'optional', locked: false, periodFactor: f.factor };
    }
    if (!o) {
      const why = applicability.unavailable.find((u) => u.id === c.id)?.reason;
      const message = eventIds.has(c.id)
        ? `addon "${c.id}" is attached automatically by an event and cannot be chosen`
        : (why ?? `addon "${c.id}" is not applicable to plan "${plan.id}"`);
      return fail('id', message);
    }
    const q = c.quantity ?? o.quantity ?? 1;
    if (!positiveQuantity(q)) return fail('quantity', 'must be at least 1');
    if (o.addon.type === 'on_off' && q !== 1 && q !== '1') {
      return fail('quantity', `addon "${c.id}" is on/off and has no quantity`);
    }
    if (o.kind === 'mandatory') {
      if (remove.has(c.id)) return fail('id', `addon "${c.id}" is also in mandatory_items_to_remove`);
      if (c.quantity !== undefined && String(c.quantity) !== String(o.quantity ?? 1)) {
        return fail('quantity', `addon "${c.id}" is mandatory on this plan; its quantity is fixed at ${String(o.quantity ?? 1)}`);
      }
    }
    if (o.addon.charge_type === 'non_recurring' && options.allowNonRecurring === false) {
      return fail('id', `addon "${c.id}" is non-recurring and cannot be added when nothing is invoiced now (trial or future start)`);
    }
    out.push({ addon: o.addon, quantity: q, kind: o.kind, chosen: o.kind !== 'mandatory', periodFactor: o.periodFactor });
  });

  for (const r of remove) {
    const o = offered.get(r);
    if (!o || o.kind !== 'mandatory') {
      errors.push({ param: n('mandatory_items_to_remove'), message: `addon "${r}" is not mandatory on plan "${plan.id}"` });
    }
  }
  if (errors.length) throw new PaylitValidationError(errors);

  // Mandatory addons are attached automatically, first, with their fixed quantity.
  const mandatory: ResolvedAddon[] = [];
  for (const o of applicability.offered) {
    if (o.kind !== 'mandatory' || remove.has(o.addon.id) || seen.has(o.addon.id)) continue;
    mandatory.push({ addon: o.addon, quantity: o.quantity ?? 1, kind: 'mandatory', chosen: false, periodFactor: o.periodFactor });
  }
  return mandatory.concat(out.filter((r) => r.kind === 'mandatory'), out.filter((r) => r.kind !== 'mandatory'));
}

/**
 * Paylit's `addon_required` rule (the credit-pack case): the checkout must carry at least one addon with quantity
 * >= 1 that the customer chose. Mandatory and event-based addons do not count. Returns the error, or undefined.
 */
export function addonRequirement(plan: Plan, addons: readonly ResolvedAddon[], param = 'addons'): FieldError | undefined {
  if (!plan.addon_required) return undefined;
  if (addons.some((a) => a.chosen && positiveQuantity(a.quantity))) return undefined;
  return { param, message: `plan "${plan.id}" needs at least one addon (such as a credit pack) to be chosen` };
}

/**
 * What a plan change does to the addons a subscription has: mandatory addons of the old plan that are not
 * mandatory on the new plan are removed; the new plan's mandatory addons are attached; others stay if the new plan
 * allows them. Returns the addons to keep as choices, and those removed with the reason.
 */
export function addonsAfterPlanChange(
  oldPlan: Plan,
  newApplicability: Applicability,
  current: readonly ChosenAddon[],
): { keep: ChosenAddon[]; removed: Array<{ id: string; reason: string }> } {
  const oldMandatory = new Set((oldPlan.attached_addons ?? []).filter((a) => a.type === 'mandatory').map((a) => a.id));
  const newOffered = new Map(newApplicability.offered.map((o) => [o.addon.id, o]));
  const keep: ChosenAddon[] = [];
  const removed: Array<{ id: string; reason: string }> = [];
  for (const c of current) {
    const o = newOffered.get(c.id);
    if (oldMandatory.has(c.id) && o?.kind !== 'mandatory') {
      removed.push({ id: c.id, reason: 'mandatory on the old plan, not on the new one' });
    } else if (!o) {
      removed.push({ id: c.id, reason: 'not applicable to the new plan' });
    } else if (o.kind !== 'mandatory') {
      keep.push(c);
    }
  }
  return { keep, removed };
}
