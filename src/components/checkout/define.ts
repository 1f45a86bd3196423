import '../addon-picker/define.js';
import '../address/define.js';
import { PaylitCheckout } from './checkout.js';

// The checkout is made of the addon picker and the address form: registering it registers them.
if (!customElements.get('paylit-checkout')) customElements.define('paylit-checkout', PaylitCheckout);
export { PaylitCheckout };
