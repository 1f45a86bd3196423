import type { ReactiveControllerHost } from 'lit';
import type { LocaleController } from '../internal/localize.js';

/**
 * What the checkout's controller and templates (a lazy chunk) use of `<paylit-checkout>`: the element as an
 * interface, so the chunk does not import the element's module back (no import circle).
 */
export interface CheckoutHost extends ReactiveControllerHost, HTMLElement {
  readonly l10n: LocaleController;
  readonly renderRoot: HTMLElement | DocumentFragment;
  hostedPageId: string;
  theme?: 'light' | 'dark' | undefined;
  /** Whether the success screen offers a way back (the host closes the checkout on `paylit-checkout-close`). */
  closable: boolean;
}
