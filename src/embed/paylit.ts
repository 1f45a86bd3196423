declare const __VERSION__: string;
import { Cart, Product } from './cart.js';
import type { Ctx, View } from './frame.js';
import type {
  CheckoutCallbacks, CreateCheckoutOptions, HostedPageObject, InitOptions, OpenCheckoutOptions, PaylitError, PaylitInstance,
  PaylitStatic, PortalCallbacks, PortalSectionOptions, PortalSections, PortalSessionObject,
} from './types.js';
import { isId, isObject, isQty, isText, ok, paylitError } from './util.js';

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
/** The sections about one subscription: `openSection` needs their `params.subscriptionId`. */
const ONE_SUB: string[] = [SECTIONS.SUBSCRIPTION_DETAILS, SECTIONS.SUBSCRIPTION_CANCELLATION, SECTIONS.EDIT_SUBSCRIPTION, SECTIONS.VIEW_SCHEDULED_CHANGES];
const LOCALE = /^[a-z]{2,3}(-[a-z\d]{2,8})*$/i;

const script = document.currentScript as HTMLScriptElement | null;
const attr = (el: Element | null, name: string) => el?.getAttribute(`data-paylit-${name}`) ?? undefined;
/**
 * The modal, the frames and their messages live in `paylit-ui.js` beside this script (so the script tag stays under
 * 4 KB): fetched when the browser is idle after init, or on first use.
 */
type Ui = typeof import('./frame.js');
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
  const key = opt('publishableKey', isText);
  const nonce = opt('cspNonce', isText);
  const iframeOnly = opt('iframeOnly', bool);
  const redirectMode = opt('enableRedirectMode', bool);
  let portalFn: (() => Promise<PortalSessionObject>) | undefined;
  let session: Promise<PortalSessionObject> | undefined;
  let callbacksFn: ((cart: Cart) => CheckoutCallbacks) | undefined;
  const ctx: Ctx = { domain, locale: opt('locale', (v) => LOCALE.test(v as string)), nonce, inline: new Set() };
  /** Runs `fn` with the UI module; if it cannot be loaded, tells `error`. */
  const withUi = (cb: CheckoutCallbacks, fn: (m: Ui) => unknown) =>
    ui(domain).then(fn, (e: unknown) => {
      uiModule = undefined;
      (cb.error ?? console.error)(paylitError('load_failed', `paylit-ui.js could not be loaded: ${String(e)}`));
    });
  const page = (c: { hostedPage?: () => Promise<HostedPageObject>; url?: string }) => () =>
    c.url !== undefined ? Promise.resolve({ url: c.url }) : typeof c.hostedPage === 'function' ? c.hostedPage() : Promise.reject(paylitError('invalid_option', 'give hostedPage or url'));

  const cart: Cart = new Cart(async () => {
    const cb = callbacksFn?.(cart) ?? {};
    const p = cart.product;
    const e = !p ? paylitError('empty_cart', 'the cart has no product') : !key && paylitError('no_publishable_key', 'the cart needs init option publishableKey');
    if (e) throw ((cb.error ?? console.error)(e), e);
    const { billing_address, ...customer } = cart.customer ?? {};
    // No merchant server here: the publishable-key route creates the page, with the catalog's prices.
    const hostedPage = async () => {
      const r = await fetch(`${domain}/api/browser/v2/checkout_new`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Paylit-Publishable-Key': key! },
        body: JSON.stringify({
          plan_id: p!.planId,
          plan_quantity: p!.planQuantity,
          addons: p!.addons,
          coupon_ids: p!.coupons,
          customer: Object.keys(customer).length ? customer : undefined,
          billing_address,
          shipping_address: cart.shipping,
          pass_thru_content: Object.keys(p!.customData).length ? JSON.stringify(p!.customData) : undefined,
          layout: p!.layout,
        }),
      });
      const b = (await r.json().catch(() => ({}))) as { hosted_page?: HostedPageObject; message?: string };
      if (!r.ok) throw new Error(b.message ?? `status ${String(r.status)}`);
      return b.hosted_page!;
    };
    self.openCheckout({ ...cb, hostedPage, layout: p!.layout });
  });

  const self = {
    site: o.site,
    domain,

    openCheckout(c: OpenCheckoutOptions) {
      if (!isObject(c)) throw new TypeError('Paylit: openCheckout(options)');
      // The option's layout, else the redirect mode, else the page's own (checkout_new's `layout`); never with iframeOnly.
      const full = iframeOnly ? false : c.layout === 'full_page' || redirectMode ? true : c.layout === 'in_app' ? false : 'page';
      void withUi(c, (m) => m.open(ctx, 'Checkout', c, page(c), full));
    },

    createCheckout(c: CreateCheckoutOptions) {
      const cb = c?.callbacks ?? {};
      let v: Promise<unknown> | undefined;
      const unmount = () => {
        void v?.then((x) => x && ctx.inline.delete(x as View) && ((x as View).close(), cb.close?.()));
        v = undefined;
      };
      return {
        async mount(target: Element | string) {
          const el = typeof target === 'string' ? document.querySelector(target) : target;
          if (!(el instanceof Element) || v) {
            const e = paylitError('invalid_target', v ? 'already mounted' : `no element ${String(target)}`);
            (cb.error ?? console.error)(e);
            throw e;
          }
          await (v = withUi(cb, (m) => m.mount(ctx, cb, el, page(c), unmount)));
        },
        unmount,
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
      if (ok(typeof fn === 'function', 'setPortalSession(fn)', fn)) portalFn = fn, session = undefined;
    },

    createPortal() {
      const open = (cb: PortalCallbacks = {}, s?: PortalSectionOptions) =>
        void withUi(cb, (m) =>
          m.open(ctx, 'Account', cb, () => {
            if (!portalFn) throw paylitError('no_portal_session', 'call setPortalSession(fn) first');
            // One session until logout(): the portal frame keeps its key, so reopening needs no new one.
            return (session ??= portalFn()).catch((e: unknown) => {
              session = undefined;
              throw paylitError('portal_session_failed', `the portal session failed: ${e instanceof Error ? e.message : String(e)}`);
            });
          }, false, { section: s?.sectionType, subscription: s?.params?.subscriptionId }),
        );
      return {
        open,
        openSection(s: PortalSectionOptions | string, cb?: PortalCallbacks) {
          const x = (isObject(s) ? s : { sectionType: s }) as { sectionType: string; params?: { subscriptionId?: string } };
          const type = (SECTIONS as unknown as Record<string, string>)[x.sectionType] ?? x.sectionType;
          if (!Object.values(SECTIONS).includes(type as never)) throw new TypeError(`Paylit: openSection(${JSON.stringify(x.sectionType)}): not a section of Paylit.getPortalSections()`);
          if (ONE_SUB.includes(type) && !isId(x.params?.subscriptionId)) throw new TypeError(`Paylit: openSection(${type}) needs params.subscriptionId`);
          open(cb, { ...x, sectionType: type as PortalSectionOptions['sectionType'] });
        },
      };
    },

    createPaylitPortal: () => self.createPortal(),

    logout() {
      session = undefined;
    },

    closeAll() {
      const v = ctx.modal;
      ctx.modal = undefined;
      v?.close();
      ctx.inline.forEach((x) => x.close());
      ctx.inline.clear();
    },

    setLocale(l: string) {
      if (ok(LOCALE.test(l), 'setLocale(locale)', l)) ctx.locale = l;
    },

    /** A drop-in button: its product from its attributes (a wrong one is said on the console, naming it). */
    click(el: Element) {
      if (attr(el, 'type') === 'portal') return self.createPortal().open();
      // `data-paylit-plan-id` + `addons_id_N`, or `data-paylit-item-N` (N = 0 the plan, then its addons).
      const plan = attr(el, 'plan-id') !== undefined;
      let p: Product | undefined;
      for (let i = 0; i < 101; i++) {
        const [n, qn] = plan ? (i ? [`addons_id_${String(i - 1)}`, `addons_quantity_${String(i - 1)}`] : ['plan-id', 'plan-quantity']) : [`item-${String(i)}`, `item-${String(i)}-quantity`];
        const id = attr(el, n);
        const q = attr(el, qn) ?? 1;
        if (i && id === undefined) break;
        if (!ok(isId(id), `data-paylit-${n}`, id) || !ok(isQty(+q), `data-paylit-${qn}`, q)) return;
        p = p ? p.addAddon({ id: id!, quantity: +q }) : new Product(id!).setPlanQuantity(+q);
      }
      const layout = attr(el, 'layout');
      if (layout === undefined || ok(layout === 'in_app' || layout === 'full_page', 'data-paylit-layout', layout)) p!.layout = layout as Product['layout'];
      cart.replaceProduct(p!).proceedToCheckout().catch(() => undefined);
    },
  };
  if (o.portalSession !== undefined) self.setPortalSession(o.portalSession);
  return self;
}

// --------------------------------------------------------------------------------------------- the global
let instance: ReturnType<typeof create> | undefined;
let observer: MutationObserver | undefined;
const bound = new Map<Element, (e: Event) => void>();

function bindAll(): void {
  for (const el of document.querySelectorAll('[data-paylit-type=checkout],[data-paylit-type=portal]')) {
    if (bound.has(el) || el.closest('[data-paylit-disable-binding]')) continue;
    const h = (e: Event) => {
      if ((e as KeyboardEvent).key && !/^(Enter| )$/.test((e as KeyboardEvent).key)) return;
      e.preventDefault();
      instance?.click(el);
    };
    el.addEventListener('click', h);
    // Something that is not a button or a link gets a button's role and keys.
    if (!el.matches('button,a[href],input')) {
      el.role ??= 'button';
      el.setAttribute('tabindex', '0');
      el.addEventListener('keydown', h);
    }
    bound.set(el, h);
  }
}

const needInit = (what: string) => new Error(`Paylit: call Paylit.init({ site }) (or add data-paylit-site to the script) before ${what}`);

export const Paylit: PaylitStatic = {
  version: __VERSION__,

  init(options) {
    if (instance) {
      console.warn('Paylit: init was called again; returning the same instance (call tearDown() first to start over)');
      return instance;
    }
    const site: unknown = isObject(options) && options.site;
    if (!isId(site)) throw new TypeError(`Paylit.init: option site (your site's id) is required; got ${JSON.stringify(site)}`);
    instance = create(options);
    const start = () => {
      if (!instance || attr(script, 'disable-binding') !== undefined) return;
      bindAll();
      // Beyond Chargebee.js: buttons a single-page app adds later are bound too.
      (observer ??= new MutationObserver(bindAll)).observe(document.documentElement, { childList: true, subtree: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
    // The UI module, fetched while the page is idle so that the first click does not wait for it.
    setTimeout(() => void ui(instance!.domain).catch(() => (uiModule = undefined)), 1);
    return instance;
  },

  getInstance() {
    if (!instance) throw needInit('getInstance()');
    return instance;
  },

  getPortalSections: () => SECTIONS,

  registerAgain() {
    if (!instance) throw needInit('registerAgain()');
    bindAll();
  },

  tearDown() {
    instance?.closeAll();
    observer?.disconnect();
    bound.forEach((h, el) => (el.removeEventListener('click', h), el.removeEventListener('keydown', h)));
    bound.clear();
    instance = undefined;
  },
};

/** Options from the script tag's `data-paylit-*` attributes; undefined without `data-paylit-site`. */
export function scriptOptions(): InitOptions | undefined {
  const a = (n: string) => attr(script, n);
  const flag = (n: string) => (a(n) === undefined ? undefined : a(n) !== 'false');
  const site = a('site');
  return site === undefined
    ? undefined
    : {
        site,
        domain: a('domain'),
        publishableKey: a('publishable-key'),
        locale: a('locale'),
        iframeOnly: flag('iframe-only'),
        enableRedirectMode: flag('redirect-mode-enabled'),
        cspNonce: script?.nonce || undefined,
      };
}
