/**
 * `paylit/elements`: the Lit elements (`<paylit-plan-picker>`, `<paylit-addon-picker>`, `<paylit-address>`,
 * `<paylit-checkout>`, `<paylit-credit-balance>`). None is built yet; this entry point exists so the package's
 * exports map is stable. Importing it registers nothing.
 */
export {};
