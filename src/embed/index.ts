/**
 * `dist/paylit.js`: the script tag. Defines `window.Paylit` and, with `data-paylit-site` on the tag, inits itself.
 * Typed for script-tag users by `paylit/global`.
 */
import { Paylit, scriptOptions } from './paylit.js';

window.Paylit = Paylit;
const options = scriptOptions();
if (options) Paylit.init(options);
