import '../addon-picker/define.js';
import '../address/define.js';
import '../plan-picker/define.js';
import { PaylitCheckout } from './checkout.js';

// The checkout is made of the other elements: registering it registers them.
if (!customElements.get('paylit-checkout')) customElements.define('paylit-checkout', PaylitCheckout);
export { PaylitCheckout };
