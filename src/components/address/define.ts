import { PaylitAddress } from './address.js';

if (!customElements.get('paylit-address')) customElements.define('paylit-address', PaylitAddress);
export { PaylitAddress };
