import { html, type PropertyDeclarations, type PropertyValues } from 'lit';
import * as z from 'zod/mini';
import { type Address, addressSchema } from '../../core/schemas/address.js';
import { addStates, checkProperties, PaylitFormControl } from '../internal/form-control.js';
import { tokens } from '../internal/styles.js';
import { type CountryRule, FALLBACK_RULE } from './countries.js';
import type { AddressHost } from './address-host.js';
import { styles } from './address.styles.js';

// No value (null or undefined) is the empty address; an overwrite rather than a pipe and transform (which the browser's
// zod then does not carry).
const valueSchema = z.optional(z.nullable(addressSchema)).check(z.overwrite((v) => v ?? {}));

type AddressForm = typeof import('./address-form.js');
let formChunk: Promise<AddressForm> | undefined;
let formModule: AddressForm | undefined;
/**
 * The form and the country rules: one chunk, loaded once per page by the first `<paylit-address>` (or before it, by
 * a page that knows it will show one). Once it is in, an element made later renders its fields in its first update,
 * rather than an empty fieldset first and the fields a task (and a layout) later.
 */
export const loadAddressForm = (): Promise<AddressForm> => (formChunk ??= import('./address-form.js').then((f) => (formModule = f)));

let lists: Promise<unknown> | undefined;
/**
 * Until `until` settles, an address that first renders lists only its chosen country and region (what its selects
 * show), then all: a page's first screen (the hosted checkout's, until it has said `loaded`), whose first layout the
 * other 248 countries, named, sorted and laid out, made twice as long.
 */
export function deferAddressLists(until: Promise<unknown>): void {
  lists = until.then(() => (lists = undefined));
}

/**
 * A billing or shipping address with the fields, labels, order, required fields and postal-code format of the chosen
 * country: full rules for US, CA, GB, DE, FR, IN, AU, JP, BR and NL (with their states, provinces or prefectures), and
 * a sensible default for every other ISO 3166 country (postal-code formats from the `postcode-validator` package).
 * Country names come from `Intl.DisplayNames` in the customer's language.
 *
 * @summary Address form.
 * @fires change - When the customer changes any field (`value` is the address).
 * @csspart base - The fieldset.
 * @csspart legend - The legend.
 * @csspart field - One label, control and message.
 * @csspart input - A text input or select.
 * @csspart error - A field's message.
 * @cssprop --paylit-color-primary - Accent: selection, buttons, focus ring.
 * @cssprop --paylit-color-on-primary - Text on the accent.
 * @cssprop --paylit-color-text - Body text.
 * @cssprop --paylit-color-muted - Secondary text.
 * @cssprop --paylit-color-surface - Background of cards and fields.
 * @cssprop --paylit-color-background - Background of the element.
 * @cssprop --paylit-color-border - Borders.
 * @cssprop --paylit-color-danger - Errors.
 * @cssprop --paylit-color-success - Success and "recommended" marks.
 * @cssprop --paylit-radius - Corner radius.
 * @cssprop --paylit-font - Font family.
 * @cssprop --paylit-font-size - Base font size.
 * @cssprop --paylit-spacing - The spacing unit.
 */
export class PaylitAddress extends PaylitFormControl implements AddressHost {
  static override styles = [tokens, styles];
  static override properties: PropertyDeclarations = {
    value: { attribute: false },
    kind: { reflect: true },
    withoutLegend: { type: Boolean, attribute: 'without-legend' },
    withoutName: { type: Boolean, attribute: 'without-name' },
    withoutCompany: { type: Boolean, attribute: 'without-company' },
    serverErrors: { attribute: false },
  };
  static {
    checkProperties(this, { value: valueSchema });
    addStates(this, ['visited', 'form_', 'listsShort']);
  }

  /** The address, in the API's shape (`line1`, `city`, `state_code`, `zip`, `country`, ...); null clears it. */
  value: Address = {};

  /** `billing` or `shipping`: the legend and the autocomplete section. */
  kind: 'billing' | 'shipping' = 'billing';
  /** Hides the legend, for a page that titles the address itself. */
  withoutLegend = false;
  /** Hides the name and company fields. */
  withoutName = false;
  /** Leaves out the optional company field (a checkout for people rather than businesses). */
  withoutCompany = false;
  /** Errors from the server, by field (`zip`, `state_code`...), shown next to the field until it changes. */
  serverErrors: Partial<Record<string, string>> = {};

  /** @internal */
  visited = new Set<string>();
  /** @internal The lists hold only the chosen country and region for now (`deferAddressLists`). */
  listsShort = false;
  private defaultValue: Address = {};

  /** @internal The form and the per-country rules, once loaded (a separate chunk). */
  form_?: AddressForm = formModule;
  private readonly formLoaded = loadAddressForm().then((f) => {
    this.form_ = f;
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.defaultValue = this.value;
    // The first focus or pointer press inside brings the full lists in at once, before a select can open or be typed in.
    for (const type of ['focusin', 'pointerdown']) this.addEventListener(type, this.#wantLists);
  }
  readonly #wantLists = () => (this.listsShort = false);

  /** @internal Work `updateComplete` waits for: a country's subdivisions on their way (address-form.ts). */
  pending?: Promise<unknown> | undefined;

  /** Resolves once the country rules (and the country's subdivisions) are in and the element has rendered with them. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await this.formLoaded;
    await super.getUpdateComplete();
    await this.pending;
    return super.getUpdateComplete();
  }

  /** @internal */
  ruleFor(country: string): CountryRule {
    return this.form_?.ruleFor(country, this.l10n.locale) ?? FALLBACK_RULE;
  }
  protected resetValue(): void {
    this.value = this.defaultValue;
    this.visited = new Set();
    this.requestUpdate();
  }

  /** The country shown: the value's, else the region of the customer's language, else the US. */
  get country(): string {
    if (this.value.country) return this.value.country;
    // The locale is a canonical tag (localize.ts), which Intl.Locale takes.
    const region = new Intl.Locale(this.l10n.locale).maximize().region;
    return region && /^[A-Z]{2}$/.test(region) ? region : 'US';
  }





  protected override willUpdate(changed: PropertyValues): void {
    if (!this.hasUpdated && lists) {
      this.listsShort = true;
      void lists.then(() => (this.listsShort = false));
    }
    this.form_?.prepare(this);
    if (changed.has('value') || changed.has('name')) {
      const fd = new FormData();
      const prefix = this.name || `${this.kind}_address`;
      for (const [k, v] of Object.entries(this.value)) if (typeof v === 'string' && v) fd.append(`${prefix}[${k}]`, v);
      this.internals.setFormValue(fd);
    }
  }

  protected override updated(): void {
    const form = this.form_;
    const bad = form?.fields(this).find((f) => form.problem(this, f));
    if (form && bad) {
      this.setValidity({ customError: true }, form.problem(this, bad), this.renderRoot.querySelector<HTMLElement>(`[name="${bad}"]`));
    } else {
      this.setValidity({}, '');
    }
  }

  /** Shows every field's message (as after a submit attempt) and focuses the first wrong field. */
  override reportValidity(): boolean {
    this.visited = new Set(this.form_?.fields(this) ?? []);
    const ok = super.reportValidity();
    if (!ok) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    return ok;
  }

  protected override render() {
    return this.form_ ? this.form_.renderAddress(this) : html`<fieldset part="base" aria-busy="true"></fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paylit-address': PaylitAddress;
  }
}
