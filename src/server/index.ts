/**
 * `paylit/server`: the reference backend. For now it carries the demo catalog the backend seeds on an empty
 * database; the HTTP server, storage and API arrive with the backend issues.
 */
export { demoAddons, demoCoupons, demoPlans, demoTaxProfile } from './seed/catalog.js';
