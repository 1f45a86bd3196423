import type { addressFormEnglish } from './en-address.js';
import type { checkoutEnglish } from './en-checkout.js';
import type { creditOfferEnglish } from './en-credit-offer.js';

/**
 * English, the fallback for every other language. Placeholders are `{name}`; a message with plural forms is an object
 * keyed by Intl.PluralRules categories (`one`, `other`, ...) and takes `{count}`. The plan picker's and the credit
 * balance's own strings are apart (`planPickerEnglish`, `creditBalanceEnglish` below), added by those elements'
 * classes, so a page without them (the hosted checkout) does not carry them; so are the strings of the checkout view,
 * the address form and the credit balance's offer (en-checkout.ts, en-address.ts, en-credit-offer.ts), added when
 * their chunks load. The other languages hold every key.
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

/** The credit balance's own strings (its button; the offer's are in en-credit-offer.ts). */
export const creditBalanceEnglish = {
  creditBalance: 'Credit balance',
  balance: { one: '{count} credit left', other: '{count} credits left' },
};

export default en;
export type MessageKey =
  | keyof typeof en
  | keyof typeof planPickerEnglish
  | keyof typeof creditBalanceEnglish
  | keyof typeof creditOfferEnglish
  | keyof typeof checkoutEnglish
  | keyof typeof addressFormEnglish;
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Messages = Record<MessageKey, Message>;
