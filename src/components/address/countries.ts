import type { MessageKey } from '../internal/locales/en.js';

export type AddressField = 'first_name' | 'last_name' | 'company' | 'line1' | 'line2' | 'city' | 'state_code' | 'zip';

export interface CountryRule {
  /** The address lines in the order the country writes them (names and company always come first). */
  order: AddressField[];
  required: AddressField[];
  zipLabel: MessageKey;
  zipExample?: string;
  stateLabel: MessageKey;
  cityLabel: MessageKey;
  /** ISO 3166-2 subdivisions (code without the country prefix, name); a select when present, free text otherwise. */
  states?: Array<[string, string]>;
}

/** Until the rules arrive (a few milliseconds): lines, city and postal code, nothing required by country. */
export const FALLBACK_RULE: CountryRule = {
  order: ['line1', 'line2', 'city', 'state_code', 'zip'],
  required: ['line1', 'city'],
  zipLabel: 'postalCode',
  stateLabel: 'region',
  cityLabel: 'city',
};
