import type { LitElement } from 'lit';
import type { Address } from '../../core/schemas/address.js';
import type { LocaleController } from '../internal/localize.js';
import type { CountryRule } from './countries.js';

/**
 * What the address form (a chunk of its own, with the country rules) reads and writes on `<paylit-address>`: the
 * element as an interface, so the chunk does not import the element's module back (no import circle).
 */
export interface AddressHost extends LitElement {
  value: Address;
  readonly country: string;
  kind: 'billing' | 'shipping';
  withoutLegend: boolean;
  withoutName: boolean;
  withoutCompany: boolean;
  serverErrors: Partial<Record<string, string>>;
  visited: Set<string>;
  readonly touched: boolean;
  disabled: boolean;
  readonly l10n: LocaleController;
  ruleFor(country: string): CountryRule;
  /** The country options the form made for this element, in which language, and whether all of them (address-form.ts). */
  countryOptions?: [locale: string, nodes: DocumentFragment, options: HTMLOptionElement[], all: boolean];
  /** Whether the lists (countries, a country's regions) hold only the chosen entry for now (address.ts). */
  listsShort: boolean;
  markTouched(): void;
  /** Work the element's `updateComplete` waits for (a country's subdivisions on their way). */
  pending?: Promise<unknown> | undefined;
}
