/**
 * The public shapes of the script-tag API (`window.Paylit`), mirroring Chargebee.js v2: a Chargebee.js integration
 * moves over by renaming `Chargebee` to `Paylit` and `data-cb-` to `data-paylit-`.
 */

/** `Paylit.init(options)`. Only `site` is required. */
export interface InitOptions {
  /** The site's id on the backend. */
  site: string;
  /** The site's publishable key: drop-in buttons and the cart create checkouts with it (never the secret key). */
  publishableKey?: string;
  /** The backend's origin; default: the origin `paylit.js` was loaded from. */
  domain?: string;
  /** BCP 47 language of the checkout, e.g. `de` or `fr-CA`; default: the browser's. */
  locale?: string;
  /** Always open the checkout in a frame, never by navigating. */
  iframeOnly?: boolean;
  /** Open checkouts by navigating to the hosted page (the customer comes back to its `redirect_url`). */
  enableRedirectMode?: boolean;
  /** The page's CSP nonce, for the one `<style>` element older browsers without constructable stylesheets need. */
  cspNonce?: string;
  /** Same as `setPortalSession()`. */
  portalSession?: () => Promise<PortalSessionObject>;
}

/** A hosted page as the backend (and your server, with the secret key) returns it. */
export interface HostedPageObject {
  id: string;
  url: string;
  type?: string;
  state?: string;
  embed?: boolean;
  [key: string]: unknown;
}

/** A portal session as `POST /api/v2/portal_sessions` returns it (`token` and `access_url` only at creation). */
export interface PortalSessionObject {
  id: string;
  token?: string;
  access_url: string;
  status?: string;
  customer_id?: string;
  [key: string]: unknown;
}

/** What `success` gets besides the page id. */
export interface CheckoutSuccessData {
  hosted_page: { id: string; type?: string; state?: string; [key: string]: unknown };
  /** Where the customer goes next, if the page has a `redirect_url`. */
  redirect_url?: string;
}

/**
 * An error passed to `error` callbacks: `code` says what went wrong in a word; the message is for the developer (the
 * modal has told the customer in plain words), so log it rather than show it.
 */
export interface PaylitError extends Error {
  code: string;
}

export type CheckoutLayout = 'in_app' | 'full_page';

export interface CheckoutCallbacks {
  loaded?: () => void;
  error?: (error: PaylitError) => void;
  close?: () => void;
  success?: (hostedPageId: string, data: CheckoutSuccessData) => void;
  /** The step the customer is on: `plan`, `addons`, `address`, `payment` or `review`. */
  step?: (step: string) => void;
  /** The checkout's content height in CSS pixels. */
  resize?: (height: number) => void;
}

export interface OpenCheckoutOptions extends CheckoutCallbacks {
  /** Returns the hosted page your server created (`hosted_pages.checkout_new` / `checkout_existing`). */
  hostedPage?: () => Promise<HostedPageObject>;
  /** A hosted page's `url`, when you already have it. */
  url?: string;
  layout?: CheckoutLayout;
}

export interface CreateCheckoutOptions {
  hostedPage?: () => Promise<HostedPageObject>;
  url?: string;
  callbacks?: CheckoutCallbacks;
}

export interface InlineCheckout {
  /** Puts the checkout into `target` (an element or a selector); resolves when the frame is added. */
  mount(target: Element | string): Promise<void>;
  unmount(): void;
}

export interface AddonInput {
  id: string;
  quantity?: number;
}

export interface Product {
  readonly planId: string;
  readonly planQuantity: number;
  readonly addons: ReadonlyArray<Required<AddonInput>>;
  readonly coupons: readonly string[];
  readonly customData: Readonly<Record<string, string>>;
  layout: CheckoutLayout | undefined;
  setPlanQuantity(quantity: number): Product;
  addAddon(addon: string | AddonInput): Product;
  removeAddon(addon: string | AddonInput): Product;
  setAddons(addons: Array<string | AddonInput>): Product;
  incrementAddonQty(addonId: string): Product;
  decrementAddonQty(addonId: string): Product;
  addCoupon(coupon: string): Product;
  removeCoupon(coupon: string): Product;
  setCustomData(data: Record<string, string>): Product;
}

export interface CustomerInput {
  email?: string;
  first_name?: string;
  last_name?: string;
  company?: string;
  phone?: string;
  locale?: string;
  billing_address?: AddressInput;
  [key: string]: unknown;
}

export interface AddressInput {
  first_name?: string;
  last_name?: string;
  email?: string;
  company?: string;
  phone?: string;
  line1?: string;
  line2?: string;
  line3?: string;
  city?: string;
  state_code?: string;
  state?: string;
  zip?: string;
  country?: string;
  [key: string]: unknown;
}

export interface Cart {
  readonly product: Product | undefined;
  replaceProduct(product: Product): Cart;
  setCustomer(customer: CustomerInput): Cart;
  setShippingAddress(address: AddressInput): Cart;
  /** Creates the checkout for this cart (publishable key, prices from the catalog) and opens it. */
  proceedToCheckout(): Promise<void>;
}

export interface PortalSections {
  readonly SUBSCRIPTION_DETAILS: 'sub_details';
  readonly SUBSCRIPTION_CANCELLATION: 'sub_cancel';
  readonly EDIT_SUBSCRIPTION: 'edit_subscription';
  readonly VIEW_SCHEDULED_CHANGES: 'scheduled_changes';
  readonly ACCOUNT_DETAILS: 'account_details';
  readonly EDIT_ACCOUNT_DETAILS: 'portal_edit_account';
  readonly ADDRESS: 'portal_address';
  readonly EDIT_BILLING_ADDRESS: 'portal_edit_billing_address';
  readonly EDIT_SHIPPING_ADDRESS: 'portal_edit_shipping_address';
  readonly PAYMENT_SOURCES: 'portal_payment_methods';
  readonly ADD_PAYMENT_SOURCE: 'portal_add_payment_method';
  readonly BILLING_HISTORY: 'portal_billing_history';
}
export type PortalSectionKey = keyof PortalSections;
export type PortalSectionType = PortalSections[PortalSectionKey];

export interface PortalSectionOptions {
  sectionType: PortalSectionType;
  params?: { subscriptionId?: string };
}

export interface PortalCallbacks {
  loaded?: () => void;
  close?: () => void;
  error?: (error: PaylitError) => void;
  visit?: (sectionType: string) => void;
  paymentSourceAdd?: () => void;
  paymentSourceUpdate?: () => void;
  paymentSourceRemove?: () => void;
  subscriptionChanged?: (data: { subscription: { id: string } }) => void;
  subscriptionCancelled?: (data: { subscription: { id: string } }) => void;
  /** A cancelled subscription was reactivated. */
  subscriptionReactivated?: (data: { subscription: { id: string } }) => void;
  /** A cancellation scheduled for the end of the term was undone. */
  scheduledCancellationRemoved?: (data: { subscription: { id: string } }) => void;
  subscriptionResumed?: (data: { subscription: { id: string } }) => void;
  subscriptionPaused?: (data: { subscription: { id: string } }) => void;
  /** The customer saved an address in the ADDRESS section. */
  customerChanged?: (data: { customer: { id: string } }) => void;
}

export interface Portal {
  open(callbacks?: PortalCallbacks, section?: PortalSectionOptions): void;
  /** `openSection({ sectionType, params })`, or a section's key or value: `openSection('ADDRESS')`. */
  openSection(section: PortalSectionOptions | PortalSectionKey | PortalSectionType, callbacks?: PortalCallbacks): void;
}

export interface PaylitInstance {
  readonly site: string;
  openCheckout(options: OpenCheckoutOptions): void;
  createCheckout(options: CreateCheckoutOptions): InlineCheckout;
  getCart(): Cart;
  initializeProduct(planId: string, planQuantity?: number): Product;
  setCheckoutCallbacks(fn: (cart: Cart) => CheckoutCallbacks): void;
  setPortalSession(fn: () => Promise<PortalSessionObject>): void;
  createPortal(): Portal;
  createPaylitPortal(): Portal;
  logout(): void;
  closeAll(): void;
  setLocale(locale: string): void;
}

export interface PaylitStatic {
  init(options: InitOptions): PaylitInstance;
  getInstance(): PaylitInstance;
  getPortalSections(): PortalSections;
  registerAgain(): void;
  tearDown(): void;
  readonly version: string;
}
