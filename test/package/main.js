// A Vite app (default config) with a Lit element of its own beside Paylit's: one Lit in the bundle.
import { html, LitElement } from 'lit';
import { PaylitPlanPicker } from 'paylit/elements';

customElements.define('app-banner', class extends LitElement {
  render() {
    return html`<p>Plans</p>`;
  }
});

const picker = document.querySelector('paylit-plan-picker');
picker.plans = [{ id: 'basic', name: 'Basic', price: 900, currency_code: 'USD', period: 1, period_unit: 'month', status: 'active', pricing_model: 'flat_fee' }];
await picker.updateComplete;
window.result = {
  registered: customElements.get('paylit-plan-picker') === PaylitPlanPicker,
  rendered: picker.shadowRoot?.textContent.includes('Basic') ?? false,
};
