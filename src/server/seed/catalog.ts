import type { AddonInput } from '../../core/schemas/addon.js';
import type { CouponInput } from '../../core/schemas/coupon.js';
import type { PlanInput } from '../../core/schemas/plan.js';
import type { TaxProfile } from '../../core/tax.js';

/**
 * The demo catalog the backend seeds on an empty database. Pure data, so the demo page and the tests can use it too.
 *
 * - Seed 000: a $0 base plan `credits-starter` that needs a credit pack, and non-recurring quantity addons as packs,
 *   whose meta_data says how many credits each pack grants.
 * - Seed 001: Grow / Hustle / Scale, monthly and yearly, in USD and EUR. Premium addons are not applicable to Grow,
 *   recommended on Hustle and mandatory on Scale.
 * - Seed 002: one plan for each pricing model, free quantity ($2/GB, 10 GB free), setup cost and trial.
 */

const pack = (credits: number, price: number): AddonInput => ({
  id: `credits-${String(credits)}`,
  name: `${credits.toLocaleString('en-US')} credits`,
  invoice_name: `Credit pack (${String(credits)} credits)`,
  description: `A prepaid pack of ${credits.toLocaleString('en-US')} credits. Credits never expire.`,
  type: 'quantity',
  charge_type: 'non_recurring',
  price,
  currency_code: 'USD',
  unit: 'pack',
  meta_data: { credits },
});

const premium = (currency: 'USD' | 'EUR'): AddonInput[] => {
  const suffix = currency === 'USD' ? '' : '-eur';
  return [
    {
      id: `priority-support${suffix}`,
      name: 'Priority support',
      description: 'A named engineer and a one-hour response time.',
      type: 'on_off',
      charge_type: 'recurring',
      price: currency === 'USD' ? 4900 : 4500,
      currency_code: currency,
      period: 1,
      period_unit: 'month',
    },
    {
      id: `analytics${suffix}`,
      name: 'Advanced analytics',
      description: 'Cohorts, funnels and exports.',
      type: 'on_off',
      charge_type: 'recurring',
      price: currency === 'USD' ? 2900 : 2700,
      currency_code: currency,
      period: 1,
      period_unit: 'month',
    },
    {
      id: `extra-seat${suffix}`,
      name: 'Extra seat',
      type: 'quantity',
      charge_type: 'recurring',
      price: currency === 'USD' ? 1000 : 900,
      currency_code: currency,
      unit: 'seat',
      period: 1,
      period_unit: 'month',
    },
  ];
};

export const demoAddons: AddonInput[] = [
  pack(100, 1000),
  pack(500, 4500),
  pack(2000, 16000),
  ...premium('USD'),
  ...premium('EUR'),
  {
    id: 'onboarding',
    // Charged once when a subscription is created (pro-trial's event): not a pack a customer buys in the portal.
    enabled_in_portal: false,
    name: 'Onboarding session',
    description: 'A one-hour onboarding call, charged once when the subscription is created.',
    type: 'on_off',
    charge_type: 'non_recurring',
    price: 2500,
    currency_code: 'USD',
  },
];

const tierPlanNames = { grow: 'Grow', hustle: 'Hustle', scale: 'Scale' } as const;
const tierPrices = { grow: [1900, 1700], hustle: [4900, 4500], scale: [9900, 8900] } as const;

function tierPlans(): PlanInput[] {
  const out: PlanInput[] = [];
  for (const tier of ['grow', 'hustle', 'scale'] as const) {
    for (const currency of ['USD', 'EUR'] as const) {
      const suffix = currency === 'USD' ? '' : '-eur';
      const monthly = tierPrices[tier][currency === 'USD' ? 0 : 1];
      for (const period of ['monthly', 'yearly'] as const) {
        const attached =
          tier === 'grow'
            ? undefined
            : [
                { id: `priority-support${suffix}`, quantity: 1, type: tier === 'scale' ? ('mandatory' as const) : ('recommended' as const) },
                { id: `analytics${suffix}`, quantity: 1, type: tier === 'scale' ? ('mandatory' as const) : ('recommended' as const) },
              ];
        out.push({
          id: `${tier}-${period}${suffix}`,
          name: `${tierPlanNames[tier]} ${period === 'monthly' ? 'Monthly' : 'Yearly'} ${currency}`,
          // What customers read (the name is the merchant's): "Grow, monthly".
          invoice_name: `${tierPlanNames[tier]}, ${period === 'monthly' ? 'monthly' : 'yearly'}`,
          description:
            tier === 'grow' ? 'For small teams getting started.' : tier === 'hustle' ? 'For growing teams.' : 'For teams at scale.',
          price: period === 'monthly' ? monthly : monthly * 10, // two months free on yearly
          currency_code: currency,
          period: 1,
          period_unit: period === 'monthly' ? 'month' : 'year',
          pricing_model: 'flat_fee',
          // Grow offers no premium addons: applicability is restricted to extra seats only.
          ...(tier === 'grow'
            ? { addon_applicability: 'restricted' as const, applicable_addons: [{ id: `extra-seat${suffix}` }] }
            : {}),
          ...(attached && { attached_addons: attached }),
        });
      }
    }
  }
  return out;
}

/**
 * The demo's plans. A description says what the plan is for, not what its fields say: the cards show the price, the
 * trial, the setup cost and the free units from those (a description restating them read twice on the card).
 */
export const demoPlans: PlanInput[] = [
  {
    id: 'credits-starter',
    name: 'Credits Starter',
    invoice_name: 'Credits Starter',
    description: 'Buy credit packs and top up whenever you run low.',
    price: 0,
    currency_code: 'USD',
    period: 1,
    period_unit: 'month',
    pricing_model: 'flat_fee',
    addon_applicability: 'restricted',
    applicable_addons: [{ id: 'credits-100' }, { id: 'credits-500' }, { id: 'credits-2000' }],
    addon_required: true,
  },
  ...tierPlans(),
  // The pricing models' examples below are in the catalog but not for sale in the shop (demo/merchant.ts offers flat
  // monthly plans with credit packs): not offered in the portal's Change plan either, as a merchant would set them.
  {
    id: 'storage-per-gb',
    enabled_in_portal: false,
    name: 'Storage per GB',
    description: 'Space for your files and backups.',
    price: 200,
    currency_code: 'USD',
    pricing_model: 'per_unit',
    free_quantity: 10,
    period: 1,
    period_unit: 'month',
  },
  {
    id: 'api-calls-tiered',
    enabled_in_portal: false,
    name: 'API calls (tiered)',
    description: 'Each thousand calls priced by the tier it falls in.',
    currency_code: 'USD',
    pricing_model: 'tiered',
    tiers: [
      { starting_unit: 1, ending_unit: 10, price: 500 },
      { starting_unit: 11, ending_unit: 100, price: 300 },
      { starting_unit: 101, price: 100 },
    ],
    period: 1,
    period_unit: 'month',
  },
  {
    id: 'seats-volume',
    enabled_in_portal: false,
    name: 'Seats (volume)',
    description: 'Every seat at the price of the band your seat count falls in.',
    currency_code: 'USD',
    pricing_model: 'volume',
    tiers: [
      { starting_unit: 1, ending_unit: 5, price: 1200 },
      { starting_unit: 6, ending_unit: 20, price: 1000 },
      { starting_unit: 21, price: 800 },
    ],
    period: 1,
    period_unit: 'month',
  },
  {
    id: 'team-stairstep',
    enabled_in_portal: false,
    name: 'Team (stairstep)',
    description: 'One flat price for each band of team size.',
    currency_code: 'USD',
    pricing_model: 'stairstep',
    tiers: [
      { starting_unit: 1, ending_unit: 10, price: 5000 },
      { starting_unit: 11, ending_unit: 50, price: 20000 },
      { starting_unit: 51, price: 50000 },
    ],
    period: 1,
    period_unit: 'month',
  },
  {
    id: 'pro-trial',
    // A trial is for new customers: a subscriber switching to it would not get one.
    enabled_in_portal: false,
    name: 'Pro with trial',
    description: 'Everything a growing team needs, with guided onboarding.',
    price: 4900,
    currency_code: 'USD',
    period: 1,
    period_unit: 'month',
    pricing_model: 'flat_fee',
    setup_cost: 9900,
    trial_period: 14,
    trial_period_unit: 'day',
    event_based_addons: [{ id: 'onboarding', quantity: 1, on_event: 'subscription_creation', charge_once: true }],
  },
];

export const demoCoupons: CouponInput[] = [
  { id: 'WELCOME10', name: 'Welcome 10%', discount_type: 'percentage', discount_percentage: 10, duration_type: 'one_time' },
  { id: 'FIVEOFF', name: '$5 off', discount_type: 'fixed_amount', discount_amount: 500, currency_code: 'USD', duration_type: 'forever' },
];

/** A simple tax profile for the demo: VAT in the EU and GB, sales tax in a few US states. */
export const demoTaxProfile: TaxProfile = {
  rates: [
    { country: 'DE', rate: '19', name: 'DE VAT' },
    { country: 'FR', rate: '20', name: 'FR VAT' },
    { country: 'NL', rate: '21', name: 'NL VAT' },
    { country: 'GB', rate: '20', name: 'UK VAT' },
    { country: 'US', region: 'NY', rate: '8.875', name: 'NY sales tax' },
    { country: 'US', region: 'CA', rate: '7.25', name: 'CA sales tax' },
  ],
};
