/**
 * `paylit/global`: declares `window.Paylit` for script-tag users (`/// <reference types="paylit/global" />`).
 * The loader's API is not built yet, so the global is declared as unknown until it is; nothing here is a promise
 * of a shape.
 */
declare global {
  interface Window {
    Paylit?: unknown;
  }
}
export {};
