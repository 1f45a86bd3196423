/**
 * `paylit/elements`: the Lit elements. Importing this module registers all of them (`<paylit-plan-picker>`,
 * `<paylit-addon-picker>`, `<paylit-address>`, `<paylit-checkout>`, `<paylit-credit-balance>`); import a class from its
 * own module (`paylit/elements/plan-picker`, ...: `src/components/<name>/<name>.ts`) to register it yourself.
 */
import './plan-picker/define.js';
import './addon-picker/define.js';
import './address/define.js';
import './checkout/define.js';
import './credit-balance/define.js';

export { PaylitPlanPicker } from './plan-picker/plan-picker.js';
export { PaylitAddonPicker, type AddonChoice } from './addon-picker/addon-picker.js';
export { PaylitAddress } from './address/address.js';
export { PaylitCheckout } from './checkout/checkout.js';
export { PaylitCreditBalance } from './credit-balance/credit-balance.js';
export type { CheckoutErrorDetail, CheckoutStep, CheckoutStepDetail, CheckoutSuccessDetail, TopUpChoice, TopUpRequestDetail } from './internal/events.js';
export { setDefaultLocale, loadLocale, SUPPORTED_LOCALES } from './internal/localize.js';
export { AdapterError } from '../adapter/errors.js';
export type { BackendAdapter, PaymentMethod } from '../adapter/adapter.js';
