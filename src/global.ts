/**
 * `paylit/global`: declares `window.Paylit` for script-tag users (`/// <reference types="paylit/global" />`).
 */
import type { PaylitStatic } from './embed/types.js';

export type * from './embed/types.js';

declare global {
  interface Window {
    Paylit: PaylitStatic;
  }
  // `Paylit.init(...)` without `window.`, as a script-tag global.
  var Paylit: PaylitStatic;
}
