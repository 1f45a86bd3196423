import { PaylitPlanPicker } from './plan-picker.js';

if (!customElements.get('paylit-plan-picker')) customElements.define('paylit-plan-picker', PaylitPlanPicker);
export { PaylitPlanPicker };
