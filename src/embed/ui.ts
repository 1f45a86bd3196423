/**
 * `dist/paylit-ui.js`: what the script tag does once something is opened. The loader (`paylit.ts`) defines the whole
 * API and checks its inputs at once; it fetches this module when the page is idle after init, or on first use, and
 * calls these functions with its state.
 */
import type { Cart, Product } from './cart.js';
import { fail, frame, frameUrl, make, open, why, type Ctx, type View } from './frame.js';
import type { CheckoutCallbacks, PaylitError, CreateCheckoutOptions, HostedPageObject, OpenCheckoutOptions, PortalCallbacks, PortalSectionOptions, PortalSessionObject } from './types.js';
import { isId, isQty, ok, paylitError } from './util.js';

/** The loader's state for one instance, shared with this module. */
export interface State extends Ctx {
  key: string | undefined;
  iframeOnly: boolean | undefined;
  redirectMode: boolean | undefined;
  portalFn?: (() => Promise<PortalSessionObject>) | undefined;
  session?: Promise<PortalSessionObject> | undefined;
  cart: Cart;
  Product: typeof Product;
}
/** One `createCheckout()` handle: its options and, once mounted, its view. */
export interface Inline {
  c: CreateCheckoutOptions;
  v?: Promise<View | undefined> | undefined;
}

/** The page of `openCheckout`/`createCheckout` options, for frameUrl (which awaits it and catches what it throws). */
const page = (c: { hostedPage?: () => Promise<HostedPageObject>; url?: string }) => () => {
  if (c.url !== undefined) return { url: c.url };
  if (typeof c.hostedPage !== 'function') throw paylitError('invalid_option', 'give hostedPage or url');
  return c.hostedPage();
};

/** `openCheckout`: the option's layout, else the redirect mode, else the page's own (checkout_new's `layout`); never with iframeOnly. */
export function checkout(s: State, c: OpenCheckoutOptions): void {
  open(s, 'Checkout', c, page(c), s.iframeOnly ? false : c.layout === 'full_page' || s.redirectMode ? true : c.layout === 'in_app' ? false : 'page');
}

/** `createCheckout(...).mount(target)`: the checkout inline, its height following the page's. */
export async function mount(s: State, h: Inline, target: Element | string): Promise<void> {
  const cb = h.c?.callbacks ?? {};
  const el = typeof target === 'string' ? document.querySelector(target) : target;
  if (!(el instanceof Element) || h.v) throw fail(cb, paylitError('invalid_target', h.v ? 'already mounted' : `no element ${String(target)}`));
  const v = frame('Checkout', s.domain, cb, () => unmount(s, h), s.nonce, el);
  s.inline.add(v);
  const shown = frameUrl(s, page(h.c), 'inline').then(
    ({ url }) => (v.show(url), v),
    (e: unknown) => {
      v.close();
      s.inline.delete(v);
      throw fail(cb, e as PaylitError);
    },
  );
  h.v = shown.catch(() => undefined);
  await shown;
}

export function unmount(s: State, h: Inline): void {
  void h.v?.then((x) => x && s.inline.delete(x) && (x.close(), h.c?.callbacks?.close?.()));
  h.v = undefined;
}

/** The portal in the modal; one session until `logout()` (the portal frame keeps its key, so reopening needs no new one). */
export function portal(s: State, cb: PortalCallbacks, sec?: PortalSectionOptions): void {
  open(s, 'Account', cb, () => {
    if (!s.portalFn) throw paylitError('no_portal_session', 'call setPortalSession(fn) first');
    return (s.session ??= s.portalFn()).catch((e: unknown) => {
      s.session = undefined;
      throw paylitError('portal_session_failed', `the portal session failed: ${why(e)}`);
    });
  }, false, { section: sec?.sectionType, subscription: sec?.params?.subscriptionId });
}

/** `cart.proceedToCheckout()`: the publishable-key route creates the page with the catalog's prices (no merchant server). */
export function proceed(s: State, cb: CheckoutCallbacks): void {
  const p = s.cart.product;
  const e = !p ? paylitError('empty_cart', 'the cart has no product') : !s.key && paylitError('no_publishable_key', 'the cart needs init option publishableKey');
  if (e) throw fail(cb, e);
  const { billing_address, ...customer } = s.cart.customer ?? {};
  const hostedPage = async () => {
    // No header of ours and a string body (text/plain): a simple request, which the browser sends without a CORS
    // preflight first, a round trip less on the click's path. The backend still checks the origin it names.
    const r = await fetch(`${s.domain}/api/browser/v2/checkout_new?key=${encodeURIComponent(s.key!)}`, {
      method: 'POST',
      body: JSON.stringify({
        plan_id: p!.planId,
        plan_quantity: p!.planQuantity,
        addons: p!.addons,
        coupon_ids: p!.coupons,
        customer: Object.keys(customer).length ? customer : undefined,
        billing_address,
        shipping_address: s.cart.shipping,
        pass_thru_content: Object.keys(p!.customData).length ? JSON.stringify(p!.customData) : undefined,
        layout: p!.layout,
      }),
    });
    const b = (await r.json().catch(() => ({}))) as { hosted_page?: HostedPageObject; message?: string };
    if (!r.ok) throw new Error(b.message ?? `status ${r.status}`);
    return b.hosted_page!;
  };
  checkout(s, { ...cb, hostedPage, layout: p!.layout });
}

/** A drop-in button: its product from its attributes (a wrong one is said on the console, naming it). */
export function click(s: State, el: Element, proceedToCheckout: () => unknown, type?: string): void {
  if (/^[pf]/.test(type!)) return warm(s, el);
  const attr = (n: string) => el.getAttribute(`data-paylit-${n}`) ?? undefined;
  if (attr('type') === 'portal') return portal(s, {});
  // `data-paylit-plan-id` + `addons_id_N`, or `data-paylit-item-N` (N = 0 the plan, then its addons).
  const plan = attr('plan-id') !== undefined;
  let p: Product | undefined;
  for (let i = 0; i < 101; i++) {
    const [n, qn] = plan ? (i ? [`addons_id_${i - 1}`, `addons_quantity_${i - 1}`] : ['plan-id', 'plan-quantity']) : [`item-${i}`, `item-${i}-quantity`];
    const id = attr(n);
    const q = attr(qn) ?? 1;
    if (i && id === undefined) break;
    if (!ok(isId(id), `data-paylit-${n}`, id) || !ok(isQty(+q), `data-paylit-${qn}`, q)) return;
    p = p ? p.addAddon({ id: id!, quantity: +q }) : new s.Product(id!).setPlanQuantity(+q);
  }
  const layout = attr('layout');
  if (layout === undefined || ok(layout === 'in_app' || layout === 'full_page', 'data-paylit-layout', layout)) p!.layout = layout as Product['layout'];
  s.cart.replaceProduct(p!);
  proceedToCheckout();
}

let warmed = false;
/**
 * A customer's intent on a drop-in checkout button, once per page: the backend's /hosted/warm in a hidden frame, which
 * fetches the checkout's files into the cache the checkout frame reads (the shop's partition, the backend's frame) and
 * opens its connection, so the click waits only for its page and data. Not for a portal button or a page that
 * navigates, under Save-Data, or inside `data-paylit-warm-up="off"`; never while the modal is open (the page behind it
 * is inert: no pointer or focus reaches its buttons). The frame stays, empty and not shown: its files' requests
 * outlive its load event, and removing the frame would cancel them.
 */
function warm(s: State, el: Element): void {
  if (warmed || s.redirectMode || (navigator as { connection?: { saveData?: boolean } }).connection?.saveData || el.closest('[data-paylit-type=portal],[data-paylit-layout=full_page],[data-paylit-warm-up=off]')) return;
  warmed = true;
  const f = make('iframe');
  f.style.display = 'none';
  f.src = `${s.domain}/hosted/warm`;
  document.body.append(f);
}

/** `closeAll()`: the modal and every inline checkout. */
export function closeAll(s: State): void {
  const v = s.modal;
  s.modal = undefined;
  v?.close();
  s.inline.forEach((x) => x.close());
  s.inline.clear();
}

let observer: MutationObserver | undefined;
/**
 * The drop-in buttons that are not buttons or links get a button's role and a place in the tab order (the loader's
 * listeners then answer their Enter and Space), now and as the page adds more, while binding is on. The loader's
 * `listener` hears a pointer over them and focus on them too (for `warm`), from now on (it checks binding itself).
 */
export function bind(on: boolean, buttons: string, listener: (e: Event) => void): void {
  addEventListener('pointerover', listener, true);
  addEventListener('focus', listener, true);
  const adorn = () => {
    for (const el of document.querySelectorAll(buttons)) if (!el.matches('button,a[href],input')) (el.role ??= 'button'), el.setAttribute('tabindex', '0');
  };
  observer?.disconnect();
  if (on) adorn(), (observer = new MutationObserver(adorn)).observe(document.documentElement, { childList: true, subtree: true });
}
