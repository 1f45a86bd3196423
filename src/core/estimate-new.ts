/**
 * The part of the pricing engine a checkout runs in the browser: a new subscription's estimate. The checkout loads
 * this module (not `./estimate.ts`, which also re-exports renewals and changes), so a new customer's checkout does not
 * download how a change to a subscription or a renewal is priced: the server prices those.
 */
export { estimateNewSubscription } from './estimate.js';
export type { Estimate, EstimateContext } from './estimate-types.js';
