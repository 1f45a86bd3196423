import { type FieldError, type ParamNames, PaylitValidationError, sameNames } from './errors.js';
import { periodInBase } from './periods.js';
import type { Addon } from './schemas/addon.js';
import type { AddonEvent, Plan } from './schemas/plan.js';

export type AddonKind = 'mandatory' | 'recommended' | 'optional' | 'on_demand';

export interface OfferedAddon {
  readonly addon: Addon;
  readonly kind: AddonKind;
  /** Mandatory addons come with a fixed quantity and cannot be removed or edited (except by the API). */
  readonly locked: boolean;
  readonly quantity?: number | undefined;
  /** For recurring addons: how many addon periods fit in one plan period. */
  readonly periodFactor: number;
}

export interface EventAddon {
  readonly addon: Addon;
  readonly on_event: AddonEvent;
  readonly quantity: number;
  readonly charge_once: boolean;
}

export interface Applicability {
  /** Every addon the customer may have on this plan: mandatory first, then recommended, optional, on demand. */
  readonly offered: readonly OfferedAddon[];
  readonly eventBased: readonly EventAddon[];
  /** Addons the plan names that cannot be attached, with the reason. */
  readonly unavailable: ReadonlyArray<{ id: string; reason: string }>;
}

/**
 * How many addon periods make one plan period, or why the two cannot be combined. A recurring addon's price is for
 * its own period; on a plan whose period is a whole multiple of it, the price scales by that multiple.
 */
export function periodFactor(plan: Plan, addon: Addon): { factor: number } | { reason: string } {
  if (addon.charge_type === 'non_recurring') return { factor: 1 };
  const unit = addon.period_unit;
  if (unit === undefined || unit === 'not_applicable') return { reason: `addon "${addon.id}" has no billing period` };
  const p = periodInBase(plan.period, plan.period_unit);
  const a = periodInBase(addon.period ?? 1, unit);
  if (p.base !== a.base || p.n % a.n !== 0) {
    const describe = (n: number, u: string) => `${String(n)} ${u}${n === 1 ? '' : 's'}`;
    return {
      reason: `addon "${addon.id}" bills every ${describe(addon.period ?? 1, unit)}, which does not divide the plan's period of ${describe(plan.period, plan.period_unit)}`,
    };
  }
  return { factor: p.n / a.n };
}

/** Why an addon cannot be newly attached to a plan, or its period factor when it can. */
const attachFit = (plan: Plan, addon: Addon): { factor: number } | { reason: string } =>
  addon.status !== 'active'
    ? { reason: `addon "${addon.id}" is ${addon.status} and cannot be newly attached` }
    : addon.currency_code !== plan.currency_code
      ? { reason: `addon "${addon.id}" is priced in ${addon.currency_code}, the plan in ${plan.currency_code}` }
      : periodFactor(plan, addon);

/** Why an addon cannot be newly attached to a plan, or undefined when it can. */
export const attachProblem = (plan: Plan, addon: Addon): string | undefined => (attachFit(plan, addon) as { reason?: string }).reason;

/**
 * Which addons a plan allows (seed: applicable addons). With `all`, every compatible addon; with `restricted`,
 * only those the plan names. Archived addons, other currencies and periods that do not divide the plan's are left
 * out with a reason. The widget and the server both call this.
 */
export function applicableAddons(plan: Plan, catalog: readonly Addon[]): Applicability {
  // By id only for the addons the plan names (none, often, under `all`): built on first use.
  let byId: Map<string, Addon> | undefined;
  const find = (id: string) => (byId ??= new Map(catalog.map((a) => [a.id, a]))).get(id);
  const offered: OfferedAddon[] = [];
  const unavailable: Array<{ id: string; reason: string }> = [];
  const seen = new Set<string>();
  // `quiet`: an addon that does not fit is left out without a reason (under `all`, it is not the plan's fault).
  const take = (id: string, kind: AddonKind, quantity?: number, addon = find(id), quiet?: boolean) => {
    if (seen.has(id)) return;
    seen.add(id);
    const f = addon ? attachFit(plan, addon) : { reason: `addon "${id}" does not exist` };
    if ('factor' in f) {
      const k: AddonKind = addon!.charge_type === 'non_recurring' && kind === 'optional' ? 'on_demand' : kind;
      offered.push({ addon: addon!, kind: k, locked: k === 'mandatory', quantity, periodFactor: f.factor });
    } else if (!quiet) unavailable.push({ id, reason: f.reason });
  };

  for (const a of plan.attached_addons ?? []) if (a.type === 'mandatory') take(a.id, 'mandatory', a.quantity);
  for (const a of plan.attached_addons ?? []) if (a.type === 'recommended') take(a.id, 'recommended', a.quantity);
  const eventIds = new Set((plan.event_based_addons ?? []).map((e) => e.id));
  if (plan.addon_applicability === 'restricted') {
    for (const a of plan.applicable_addons ?? []) take(a.id, 'optional');
  } else {
    for (const addon of catalog) if (!eventIds.has(addon.id)) take(addon.id, 'optional', undefined, addon, true);
  }

  const eventBased: EventAddon[] = [];
  for (const e of plan.event_based_addons ?? []) {
    const addon = find(e.id);
    const problem = !addon
      ? `addon "${e.id}" does not exist`
      : addon.charge_type !== 'non_recurring'
        ? `addon "${e.id}" is recurring; only non-recurring addons can be event-based`
        : attachProblem(plan, addon);
    if (problem || !addon) {
      unavailable.push({ id: e.id, reason: problem ?? '' });
      continue;
    }
    eventBased.push({ addon, on_event: e.on_event, quantity: e.quantity, charge_once: e.charge_once });
  }
  return { offered, eventBased, unavailable };
}

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
