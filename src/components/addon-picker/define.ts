import { PaylitAddonPicker } from './addon-picker.js';

if (!customElements.get('paylit-addon-picker')) customElements.define('paylit-addon-picker', PaylitAddonPicker);
export { PaylitAddonPicker };
