declare const __VERSION__: string;
import { Cart, Product } from './cart.js';
import type { Inline, State } from './ui.js';
import type {
  CheckoutCallbacks, CreateCheckoutOptions, HostedPageObject, InitOptions, OpenCheckoutOptions, PaylitError, PaylitInstance,
  PaylitStatic, PortalCallbacks, PortalSectionOptions, PortalSections, PortalSessionObject,
} from './types.js';
import { isId, isObject, isText, ok, paylitError } from './util.js';

const SECTIONS: PortalSections = {
  SUBSCRIPTION_DETAILS: 'sub_details',
  SUBSCRIPTION_CANCELLATION: 'sub_cancel',
  EDIT_SUBSCRIPTION: 'edit_subscription',
  VIEW_SCHEDULED_CHANGES: 'scheduled_changes',
  ACCOUNT_DETAILS: 'account_details',
  EDIT_ACCOUNT_DETAILS: 'portal_edit_account',
  ADDRESS: 'portal_address',
  EDIT_BILLING_ADDRESS: 'portal_edit_billing_address',
  EDIT_SHIPPING_ADDRESS: 'portal_edit_shipping_address',
  PAYMENT_SOURCES: 'portal_payment_methods',
  ADD_PAYMENT_SOURCE: 'portal_add_payment_method',
  BILLING_HISTORY: 'portal_billing_history',
};
/** The sections about one subscription (sub_details, sub_cancel, edit_subscription, scheduled_changes): `openSection` needs their `params.subscriptionId`. */
const ONE_SUB = /^(sub_|edit_sub|sched)/;
const LOCALE = /^[a-z]{2,3}(-[a-z\d]{2,8})*$/i;

const script = document.currentScript as HTMLScriptElement | null;
/**
 * What the API does once something opens (the modal, the frames, their messages, the drop-in buttons' products, the
 * cart's checkout) lives in `paylit-ui.js` beside this script, so the script tag stays small: fetched when the
 * browser is idle after init, or on first use. This file defines the whole API and checks its inputs at once.
 */
type Ui = typeof import('./ui.js');
type Act = 'checkout' | 'mount' | 'portal' | 'proceed' | 'click';
type Rest<F> = F extends (s: State, ...a: infer A) => unknown ? A : never;
let uiModule: Promise<Ui> | undefined;
const ui = (domain: string): Promise<Ui> => (uiModule ??= import(/* @vite-ignore */ new URL('paylit-ui.js', script?.src || `${domain}/`).href) as Promise<Ui>);

function create(o: InitOptions) {
  // Each option checked by hand: a bad one is said on the console, naming it, and ignored.
  const opt = <K extends keyof InitOptions>(k: K, good: (v: unknown) => unknown): InitOptions[K] | undefined => {
    const v = o[k];
    return v === undefined || ok(good(v), `init option ${k}`, v) ? v : undefined;
  };
  const bool = (v: unknown) => v === !!v;
  const domain = new URL(opt('domain', (v) => /^https?:\/\/[^/?#]+\/?$/.test(v as string)) ?? script?.src ?? location.href).origin;
  let callbacksFn: ((cart: Cart) => CheckoutCallbacks) | undefined;
  /** Calls `k` of the UI module with this instance's state and `args`; if the module cannot be loaded, tells `error`. */
  const run = <K extends Act>(cb: { error?: (e: PaylitError) => void }, k: K, ...args: Rest<Ui[K]>) =>
    ui(domain).then((m) => (m[k] as (...a: unknown[]) => unknown)(s, ...args), (e: unknown) => {
      uiModule = undefined;
      (cb.error ?? console.error)(paylitError('load_failed', `paylit-ui.js could not be loaded: ${e}`));
    });
  const proceed = () => {
    const cb = callbacksFn?.(cart) ?? {};
    return run(cb, 'proceed', cb) as Promise<void>;
  };
  const cart = new Cart(proceed);
  const s: State = {
    domain,
    key: opt('publishableKey', isText),
    nonce: opt('cspNonce', isText),
    iframeOnly: opt('iframeOnly', bool),
    redirectMode: opt('enableRedirectMode', bool),
    locale: opt('locale', (v) => LOCALE.test(v as string)),
    inline: new Set(),
    cart,
    Product,
  };

  const self = {
    site: o.site,
    domain,

    openCheckout(c: OpenCheckoutOptions) {
      if (!isObject(c)) throw new TypeError('Paylit: openCheckout(options)');
      void run(c, 'checkout', c);
    },

    createCheckout(c: CreateCheckoutOptions) {
      const h: Inline = { c };
      return {
        mount: (target: Element | string) => run(c?.callbacks ?? {}, 'mount', h, target) as Promise<void>,
        unmount: () => void uiModule?.then((m) => m.unmount(s, h)),
      };
    },

    getCart: () => cart,

    initializeProduct(planId: string, quantity?: number) {
      if (!ok(isId(planId), 'initializeProduct(planId)', planId)) throw new TypeError('Paylit: initializeProduct(planId)');
      const p = new Product(planId);
      return quantity === undefined ? p : p.setPlanQuantity(quantity);
    },

    setCheckoutCallbacks(fn: (cart: Cart) => CheckoutCallbacks) {
      if (ok(typeof fn === 'function', 'setCheckoutCallbacks(fn)', fn)) callbacksFn = fn;
    },

    setPortalSession(fn: () => Promise<PortalSessionObject>) {
      if (ok(typeof fn === 'function', 'setPortalSession(fn)', fn)) s.portalFn = fn, s.session = undefined;
    },

    createPortal() {
      const open = (cb: PortalCallbacks = {}, sec?: PortalSectionOptions) => void run(cb, 'portal', cb, sec);
      return {
        open,
        openSection(sec: PortalSectionOptions | string, cb?: PortalCallbacks) {
          const x = (isObject(sec) ? sec : { sectionType: sec }) as { sectionType: string; params?: { subscriptionId?: string } };
          const type = (SECTIONS as unknown as Record<string, string>)[x.sectionType] ?? x.sectionType;
          if (!Object.values(SECTIONS).includes(type as never)) throw new TypeError(`Paylit: openSection(${JSON.stringify(x.sectionType)}) is not a section of Paylit.getPortalSections()`);
          if (ONE_SUB.test(type) && !isId(x.params?.subscriptionId)) throw new TypeError(`Paylit: openSection(${type}) needs params.subscriptionId`);
          open(cb, { ...x, sectionType: type as PortalSectionOptions['sectionType'] });
        },
      };
    },


    logout() {
      s.session = undefined;
    },

    // What is open was opened by the UI module, so it is loaded whenever there is something to close.
    closeAll: () => void uiModule?.then((m) => m.closeAll(s)),

    setLocale(l: string) {
      if (ok(LOCALE.test(l), 'setLocale(locale)', l)) s.locale = l;
    },

    /** A drop-in button was used: the UI module reads its product from its attributes and opens it. */
    click: (el: Element, type?: string) => void run({}, 'click', el, () => proceed().catch(() => undefined), type),
  };
  const instance = { ...self, createPaylitPortal: self.createPortal };
  if (o.portalSession !== undefined) instance.setPortalSession(o.portalSession);
  return instance;
}

// --------------------------------------------------------------------------------------------- the global
let instance: ReturnType<typeof create> | undefined;
/** Whether the drop-in buttons answer: from init (unless the script tag says data-paylit-disable-binding) or registerAgain() until tearDown(). */
let binding = false;
const BUTTONS = '[data-paylit-type=checkout],[data-paylit-type=portal]';

/**
 * The drop-in buttons, now and added later (beyond Chargebee.js), through one click and one keydown listener on the
 * window, in the capture phase so that a page's own handlers cannot hide a click from it. The UI module gives those
 * that are not buttons or links a button's role and keys.
 */
function onButton(e: Event): void {
  const el = (e.target as Element).closest?.(BUTTONS);
  const key = (e as KeyboardEvent).key;
  if (!binding || !el || el.closest('[data-paylit-disable-binding]') || (key !== undefined && (!/^(Enter| )$/.test(key) || el.matches('button,a[href],input')))) return;
  // The UI module adds pointerover and focus, which have nothing to prevent: the customer may be about to use it.
  e.preventDefault();
  instance?.click(el, e.type);
}
addEventListener('click', onButton, true);
addEventListener('keydown', onButton, true);

const bind = (on: boolean) => ((binding = on), uiModule?.then((m) => m.bind(on, BUTTONS, onButton)));

const needInit = (what: string) => new Error(`Paylit: call Paylit.init({ site }) or give the script data-paylit-site before ${what}`);

export const Paylit: PaylitStatic = {
  version: __VERSION__,

  init(options) {
    if (instance) {
      console.warn('Paylit: init was called again; it returns the same instance (tearDown() to start over)');
      return instance;
    }
    const site: unknown = isObject(options) && options.site;
    if (!isId(site)) throw new TypeError(`Paylit.init: option site (your site's id) is required; got ${JSON.stringify(site)}`);
    instance = create(options);
    const start = () => instance && script?.dataset.paylitDisableBinding === undefined && bind(true);
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
    // The UI module, fetched while the page is idle so that the first click does not wait for it.
    setTimeout(() => void ui(instance!.domain).then((m) => m.bind(binding, BUTTONS, onButton), () => (uiModule = undefined)), 1);
    return instance;
  },

  getInstance() {
    if (!instance) throw needInit('getInstance()');
    return instance;
  },

  getPortalSections: () => SECTIONS,

  registerAgain() {
    if (!instance) throw needInit('registerAgain()');
    bind(true);
  },

  tearDown() {
    instance?.closeAll();
    bind(false);
    instance = undefined;
  },
};

/** Options from the script tag's `data-paylit-*` attributes; undefined without `data-paylit-site`. */
export function scriptOptions(): InitOptions | undefined {
  const d = script?.dataset ?? {};
  const flag = (v?: string) => (v === undefined ? undefined : v !== 'false');
  return d.paylitSite === undefined
    ? undefined
    : {
        site: d.paylitSite,
        domain: d.paylitDomain,
        publishableKey: d.paylitPublishableKey,
        locale: d.paylitLocale,
        iframeOnly: flag(d.paylitIframeOnly),
        enableRedirectMode: flag(d.paylitRedirectModeEnabled),
        cspNonce: script?.nonce || undefined,
      };
}
