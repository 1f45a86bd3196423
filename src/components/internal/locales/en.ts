import type { addressFormEnglish } from './en-address.js';
import type { checkoutEnglish } from './en-checkout.js';

/**
 * English, the fallback for every other language. Placeholders are `{name}`; a message with plural forms is an object
 * keyed by Intl.PluralRules categories (`one`, `other`, ...) and takes `{count}`. The plan picker's and the credit
 * balance's own strings are apart (`planPickerEnglish`, `creditBalanceEnglish` below), added by those elements'
 * classes, so a page without them (the hosted checkout) does not carry them; so are the strings of the checkout view
 * and of the address form (en-checkout.ts, en-address.ts), added when their chunks load. The other languages hold
 * every key.
 */
const en = {
  // plan picker (and the prices and periods the other elements show too)
  perPeriod: '{price} / {period}',
  fromPrice: 'from {price}',
  perUnit: '{price} per unit',
  free: 'Free',
  day: { one: 'day', other: '{count} days' },
  week: { one: 'week', other: '{count} weeks' },
  month: { one: 'month', other: '{count} months' },
  year: { one: 'year', other: '{count} years' },
  trialDay: 'day',
  trialMonth: 'month',
  // addon picker
  addPack: 'Add a pack',
  addAddon: 'Add an addon',
  nothingToAdd: 'Nothing more to add',
  included: 'Comes with the plan',
  includedReason: 'Comes with {plan}; it cannot be removed.',
  recommended: 'Recommended',
  add: 'Add',
  remove: 'Remove {name}',
  quantityOf: 'Quantity of {name}',
  increase: 'Increase quantity of {name}',
  decrease: 'Decrease quantity of {name}',
  quantityRange: 'Enter a whole number from {min} to {max}.',
  credits: { one: '{count} credit', other: '{count} credits' },
  eachPer: '{price} each',
  noAddons: 'This plan has no addons.',
  packRequired: 'Choose a credit pack to continue.',
  // address
  billingAddress: 'Billing address',
  country: 'Country',
  company: 'Company (optional)',
  line1: 'Address',
  line2: 'Apartment, suite, etc. (optional)',
  city: 'City',
  state: 'State',
  region: 'State, province or region (optional)',
  zip: 'ZIP code',
  postalCode: 'Postal code',
  required: '{field} is required.',
  // checkout
  back: 'Back',
  loading: 'Loading checkout…',
  loadFailed: 'The checkout could not be loaded.',
  retry: 'Try again',
  apply: 'Apply',
  timeout: 'The payment took too long to confirm. Check your connection and try again; you will not be charged twice.',
  complete: 'Complete',
  quantity: 'Quantity: {count}',
};

/** The plan picker's own strings. */
export const planPickerEnglish = {
  choosePlan: 'Choose a plan',
  billingPeriod: 'Billing period',
  currency: 'Currency',
  freeUnits: { one: '{count} unit free', other: '{count} units free' },
  trial: { one: '{count}-{unit} free trial', other: '{count}-{unit} free trial' },
  setupCost: '+ {price} setup',
  noPlans: 'No plans are on offer in this currency.',
};

/** The credit balance's own strings. */
export const creditBalanceEnglish = {
  creditBalance: 'Credit balance',
  balance: { one: '{count} credit left', other: '{count} credits left' },
  lowBalance: 'Your credits are running low',
  lowBalanceText: 'You have {balance}; top up to keep going.',
  topUpWith: 'Top up with {pack} for {price}.',
  replenishNow: 'Replenish now',
  atRenewal: 'Add at next renewal',
  changePack: 'Change pack',
  noThanks: 'No thanks',
  choosePack: 'Choose a pack',
  buyPack: 'Buy {pack} · {price}',
  stopTitle: 'Stop renewing?',
  stopText: 'Your subscription ends at the end of this term instead of renewing. The credits you have stay yours; you can undo this until then.',
  stopConfirm: 'Stop renewing',
  keep: 'Keep my subscription',
};

export default en;
export type MessageKey =
  | keyof typeof en
  | keyof typeof planPickerEnglish
  | keyof typeof creditBalanceEnglish
  | keyof typeof checkoutEnglish
  | keyof typeof addressFormEnglish;
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Messages = Record<MessageKey, Message>;
