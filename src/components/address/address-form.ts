import { html, nothing, type TemplateResult } from 'lit';
import { type Address, addressSchema } from '../../core/schemas/address.js';
import { fireChange } from '../internal/events.js';
import { assignUnchecked } from '../internal/form-control.js';
import { addEnglish } from '../internal/localize.js';
import { addressFormEnglish } from '../internal/locales/en-address.js';
import type { MessageKey } from '../internal/locales/en.js';
import type { AddressHost } from './address-host.js';
import type { AddressField } from './countries.js';
import { COUNTRY_CODES, loadSubdivisions, postalCodeValid } from './country-rules.js';

export { postalCodeValid, ruleFor } from './country-rules.js';

// The form's own strings arrive with this chunk.
addEnglish(addressFormEnglish);

/**
 * The address form itself: the fields, labels, order and checks of each country. It loads with the country rules
 * (one chunk), since the form cannot lay out its fields before it knows them.
 */

/** The longest value the API takes for each field (the address schema's limits). */
export const MAX: Record<AddressField, number> = { first_name: 150, last_name: 150, company: 250, line1: 150, line2: 150, city: 50, state_code: 50, zip: 20 };
const AUTOCOMPLETE: Record<AddressField, string> = {
  first_name: 'given-name', last_name: 'family-name', company: 'organization', line1: 'address-line1', line2: 'address-line2',
  city: 'address-level2', state_code: 'address-level1', zip: 'postal-code',
};

/** A region typed as text (no list of subdivisions) is the API's `state`; one chosen from a list is `state_code`. */
const keyOf = (f: AddressField, states: unknown): keyof Address & string => (f === 'state_code' && !states ? 'state' : f);

export function fields(c: AddressHost): AddressField[] {
  const rule = c.ruleFor(c.country);
  return [...(c.withoutName ? [] : (['first_name', 'last_name'] as const)), ...(c.withoutName || c.withoutCompany ? [] : (['company'] as const)), ...rule.order];
}

export function label(c: AddressHost, f: AddressField): string {
  const rule = c.ruleFor(c.country);
  const keys: Record<AddressField, MessageKey> = {
    first_name: 'firstName', last_name: 'lastName', company: 'company', line1: 'line1', line2: 'line2',
    city: rule.cityLabel, state_code: rule.stateLabel, zip: rule.zipLabel,
  };
  return c.l10n.t(keys[f]);
}

export function isRequired(c: AddressHost, f: AddressField): boolean {
  if (f === 'first_name' || f === 'last_name') return !c.withoutName;
  return c.ruleFor(c.country).required.includes(f);
}

/** The message for a field, or '' when it is fine. */
export function problem(c: AddressHost, f: AddressField): string {
  const l = c.l10n;
  const rule = c.ruleFor(c.country);
  const v = (c.value[keyOf(f, rule.states)] ?? '').trim();
  const name = label(c, f).replace(/ \(.*\)$/, '');
  if (!v) return isRequired(c, f) ? l.t('required', { field: name }) : '';
  if (v.length > MAX[f]) return l.t('tooLong', { field: name, max: MAX[f] });
  if (f === 'zip' && !(postalCodeValid(c.country, v))) {
    const field = name;
    return rule.zipExample ? l.t('invalidPostal', { field, example: rule.zipExample }) : l.t('invalidPostalPlain', { field });
  }
  if (f === 'state_code' && rule.states && !rule.states.some(([code]) => code === v)) return l.t('required', { field: name });
  return c.serverErrors[f] ?? '';
}

/** Before each update: the country shown lists its subdivisions from a chunk of their own, rendered once it is in. */
export function prepare(c: AddressHost): void {
  const load = loadSubdivisions(c.country);
  if (load) c.pending = load.then((ok) => ok && c.requestUpdate());
}

export function update1(c: AddressHost, field: keyof Address, raw: string): void {
  // A country whose subdivisions are a chunk not yet in: the form changes once they are, so the region is a select from
  // the first render in that country (the country's select already shows it); unless another was chosen meanwhile.
  const load = field === 'country' ? loadSubdivisions(raw) : undefined;
  if (load) {
    c.pending = load.then(() => c.renderRoot.querySelector<HTMLSelectElement>('#country')?.value === raw && apply(c, field, raw));
    return;
  }
  apply(c, field, raw);
}

function apply(c: AddressHost, field: keyof Address, raw: string): void {
  const next: Record<string, unknown> = { ...c.value };
  const v = raw;
  if (v) next[field] = v;
  else delete next[field];
  if (field === 'country') {
    // A new country: its subdivisions differ; the postal code is checked against its format again.
    delete next.state_code;
    delete next.state;
  }
  if (field === 'state_code') {
    const name = c.ruleFor(c.country).states?.find(([c]) => c === v)?.[1];
    if (name) next.state = name;
    else delete next.state;
  }
  if (c.serverErrors[field]) c.serverErrors = { ...c.serverErrors, [field]: undefined };
  const parsed = addressSchema.safeParse(next);
  // Over-long text is kept as typed, and shown as an error, rather than refused by the checked setter.
  if (parsed.success) c.value = parsed.data;
  else assignUnchecked(c, 'value', next);
  c.markTouched();
  fireChange(c);
}

/**
 * One form's country options (about 250), named in its language and sorted by those names: plain `<option>`s made
 * once per form and language, each render only marking the one chosen. Named, sorted and made as a template
 * instance each (two markers and two parts apiece) on every render, they were most of the form's render time.
 */
function countryOptions(c: AddressHost, locale: string): DocumentFragment {
  let o = c.countryOptions;
  const all = !c.listsShort;
  const country = c.country;
  // Until the element wants them all (address.ts), only the chosen country: the select shows the same, and the other
  // 248, named, sorted and laid out, were half the checkout's first layout and a fifth of its first render.
  if (o?.[0] !== locale || o[3] !== all || (!all && o[2][0]?.value !== country)) {
    // The locale is a canonical tag (localize.ts), which Intl takes; a code it has no name for is named by itself.
    const names = new Intl.DisplayNames([locale, 'en'], { type: 'region' });
    const collator = new Intl.Collator(locale);
    const options = (all ? COUNTRY_CODES : [country]).map((c) => [c, names.of(c)!] as const)
      .sort((a, b) => collator.compare(a[1], b[1]))
      .map(([code, name]) => new Option(name, code));
    const nodes = document.createDocumentFragment();
    nodes.append(...options);
    c.countryOptions = o = [locale, nodes, options, all];
  }
  // None chosen (a code the list lacks): the select shows the first, as before.
  for (const x of o[2]) x.selected = x.value === country;
  // Lit inserts the fragment's nodes once and, given the same fragment again, leaves them: this form is the element's
  // only template once its chunk is in, so its select is not made again for the same element and language.
  return o[1];
}

export function renderAddress(c: AddressHost): TemplateResult {
  const l = c.l10n;
  const rule = c.ruleFor(c.country);
  const section = c.kind === 'shipping' ? 'shipping' : 'billing';
  return html`<fieldset part="base" dir=${l.dir} lang=${l.locale} ?disabled=${c.disabled}>
    <legend part="legend" class=${c.withoutLegend ? 'visually-hidden' : ''}>${l.t(c.kind === 'shipping' ? 'shippingAddress' : 'billingAddress')}</legend>
    <div class="grid">
      <div class="field wide" part="field" data-f="country">
        <label for="country">${l.t('country')}</label>
        <select id="country" name="country" part="input" autocomplete=${`${section} country`}
          @change=${(e: Event) => update1(c, 'country', (e.target as HTMLSelectElement).value)}>${countryOptions(c, l.locale)}</select>
      </div>
      ${fields(c).map((f) => field(c, f, rule.states, section))}
    </div>
  </fieldset>`;
}

export function field(c: AddressHost, f: AddressField, states: Array<[string, string]> | undefined, section: string) {
  const l = c.l10n;
  const key = keyOf(f, states);
  const text = label(c, f);
  const required = isRequired(c, f);
  const shown = c.touched && c.visited.has(f) ? problem(c, f) : (c.serverErrors[f] ?? '');
  const common = {
    id: f,
    invalid: shown ? 'true' : 'false',
    autocomplete: `${section} ${AUTOCOMPLETE[f]}`,
  };
  const blur = () => {
    if (!c.visited.has(f)) c.visited = new Set(c.visited).add(f);
    c.markTouched();
  };
  const wide = f === 'line1' || f === 'line2' || f === 'company';
  return html`<div class=${`field ${wide ? 'wide' : ''}`} part="field" data-f=${f}>
    <label for=${f}>${text}${required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>
    ${f === 'state_code' && states
      ? html`<select id=${common.id} name=${f} part="input" autocomplete=${common.autocomplete} aria-invalid=${common.invalid}
          aria-describedby=${`${f}-error`} ?required=${required} @blur=${blur}
          @change=${(e: Event) => update1(c, 'state_code', (e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!c.value.state_code}>${l.t('choose')}</option>
          ${(c.listsShort ? states.filter(([code]) => code === c.value.state_code) : states).map(([code, name]) => html`<option value=${code} ?selected=${code === c.value.state_code}>${name}</option>`)}
        </select>`
      : html`<input id=${common.id} name=${f} part="input" autocomplete=${common.autocomplete} aria-invalid=${common.invalid}
          aria-describedby=${`${f}-error`} ?required=${required} .value=${c.value[key] ?? ''}
          maxlength=${MAX[f] + 20} @blur=${blur}
          @input=${(e: Event) => update1(c, key, (e.target as HTMLInputElement).value)} />`}
    <p class="error" id=${`${f}-error`} part="error">${shown}</p>
  </div>`;
}
