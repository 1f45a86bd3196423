import type { PeriodUnit } from './schemas/common.js';
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

/** A period expressed in a base unit, so periods can be compared: days for day/week, months for month/year. */
export function periodInBase(period: number, unit: PeriodUnit): { base: 'day' | 'month'; n: number } {
  switch (unit) {
    case 'day':
      return { base: 'day', n: period };
    case 'week':
      return { base: 'day', n: period * 7 };
    case 'month':
      return { base: 'month', n: period };
    case 'year':
      return { base: 'month', n: period * 12 };
  }
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
