import { PaylitCreditBalance } from './credit-balance.js';

if (!customElements.get('paylit-credit-balance')) customElements.define('paylit-credit-balance', PaylitCreditBalance);
export { PaylitCreditBalance };
