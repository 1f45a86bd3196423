/**
 * The address rules of each country, loaded on first use of `<paylit-address>` (its own chunk, with the postal-code
 * formats of the `postcode-validator` package), so pages without an address form do not carry them. The subdivisions
 * of the countries that list them are a chunk per country (`subdivisions/`), loaded when an address in that country is
 * first shown; only the US's, the country of most customers and of every page in English, come with the rules.
 */
import { POSTCODE_REGEXES } from 'postcode-validator/lib/esm/postcode-regexes.js';
import type { AddressField, CountryRule } from './countries.js';

/** Every ISO 3166-1 alpha-2 code. Country names come from Intl.DisplayNames in the customer's language. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC ' +
  'CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD ' +
  'GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH ' +
  'KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW ' +
  'MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC ' +
  'SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY ' +
  'UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const list = (s: string): Array<[string, string]> => s.split('|').map((e) => e.split(':') as [string, string]);

const US_STATES = list(
  'AL:Alabama|AK:Alaska|AZ:Arizona|AR:Arkansas|CA:California|CO:Colorado|CT:Connecticut|DE:Delaware|DC:District of Columbia|FL:Florida|' +
    'GA:Georgia|HI:Hawaii|ID:Idaho|IL:Illinois|IN:Indiana|IA:Iowa|KS:Kansas|KY:Kentucky|LA:Louisiana|ME:Maine|MD:Maryland|MA:Massachusetts|' +
    'MI:Michigan|MN:Minnesota|MS:Mississippi|MO:Missouri|MT:Montana|NE:Nebraska|NV:Nevada|NH:New Hampshire|NJ:New Jersey|NM:New Mexico|' +
    'NY:New York|NC:North Carolina|ND:North Dakota|OH:Ohio|OK:Oklahoma|OR:Oregon|PA:Pennsylvania|RI:Rhode Island|SC:South Carolina|' +
    'SD:South Dakota|TN:Tennessee|TX:Texas|UT:Utah|VT:Vermont|VA:Virginia|WA:Washington|WV:West Virginia|WI:Wisconsin|WY:Wyoming|' +
    'AS:American Samoa|GU:Guam|MP:Northern Mariana Islands|PR:Puerto Rico|VI:U.S. Virgin Islands|AA:Armed Forces Americas|' +
    'AE:Armed Forces Europe|AP:Armed Forces Pacific',
);

const western: AddressField[] = ['line1', 'line2', 'city', 'state_code', 'zip'];
const zipFirst: AddressField[] = ['line1', 'line2', 'zip', 'city'];
const full: AddressField[] = ['line1', 'city', 'state_code', 'zip'];

/** Full rules for the countries Paylit knows well; `ruleFor` gives every other country a sensible default. */
const RULES: Record<string, CountryRule> = {
  US: { order: western, required: full, zipLabel: 'zip', zipExample: '94105', stateLabel: 'state', cityLabel: 'city', states: US_STATES },
  CA: { order: western, required: full, zipLabel: 'postalCode', zipExample: 'K1A 0B1', stateLabel: 'province', cityLabel: 'city' },
  GB: { order: western, required: ['line1', 'city', 'zip'], zipLabel: 'postcode', zipExample: 'SW1A 1AA', stateLabel: 'county', cityLabel: 'town' },
  DE: { order: zipFirst, required: ['line1', 'zip', 'city'], zipLabel: 'postalCode', zipExample: '10115', stateLabel: 'region', cityLabel: 'city' },
  FR: { order: zipFirst, required: ['line1', 'zip', 'city'], zipLabel: 'postalCode', zipExample: '75008', stateLabel: 'region', cityLabel: 'city' },
  NL: { order: zipFirst, required: ['line1', 'zip', 'city'], zipLabel: 'postcode', zipExample: '1012 JS', stateLabel: 'region', cityLabel: 'city' },
  IN: { order: western, required: full, zipLabel: 'pinCode', zipExample: '110001', stateLabel: 'state', cityLabel: 'city' },
  AU: { order: western, required: full, zipLabel: 'postcode', zipExample: '2000', stateLabel: 'state', cityLabel: 'suburb' },
  JP: { order: ['zip', 'state_code', 'city', 'line1', 'line2'], required: ['zip', 'state_code', 'city', 'line1'], zipLabel: 'postalCode', zipExample: '100-0001', stateLabel: 'prefecture', cityLabel: 'cityWard' },
  BR: { order: ['zip', 'line1', 'line2', 'city', 'state_code'], required: full, zipLabel: 'cep', zipExample: '01310-100', stateLabel: 'state', cityLabel: 'city' },
};

type Subdivisions = (locale: string) => Array<[string, string]>;
const listed = (m: { STATES: string }): Subdivisions => {
  const states = list(m.STATES);
  return () => states;
};
/** The countries whose subdivisions are a chunk of their own (a select once loaded, free text until then). */
const LISTED: Record<string, () => Promise<Subdivisions>> = {
  CA: () => import('./subdivisions/ca.js').then(listed),
  AU: () => import('./subdivisions/au.js').then(listed),
  IN: () => import('./subdivisions/in.js').then(listed),
  BR: () => import('./subdivisions/br.js').then(listed),
  // In Japanese script for Japanese readers and in romaji otherwise.
  JP: () => import('./subdivisions/jp.js').then((m) => (locale) => (locale.startsWith('ja') ? m.KANJI : m.ROMAJI).split(' ').map((n, i) => [String(i + 1).padStart(2, '0'), n])),
};
const loaded = new Map<string, Subdivisions>();
const loading = new Map<string, Promise<boolean>>();

/**
 * Loads a country's subdivisions when they are a chunk not yet in (true once in); undefined when there is nothing to
 * wait for. A chunk that fails to load (false) leaves the region as free text; a later call tries again.
 */
export function loadSubdivisions(country: string): Promise<boolean> | undefined {
  const chunk = LISTED[country];
  if (!chunk || loaded.has(country)) return undefined;
  let p = loading.get(country);
  if (!p) {
    p = chunk()
      .then((f) => (loaded.set(country, f), true), () => false)
      .finally(() => loading.delete(country));
    loading.set(country, p);
  }
  return p;
}

/** The rules of a country: its own, or for any other code lines, city and an optional region, with a postal code where it has them. */
export function ruleFor(country: string, locale: string): CountryRule {
  const own = RULES[country];
  if (own) {
    const states = loaded.get(country);
    return states ? { ...own, states: states(locale) } : own;
  }
  const hasZip = POSTCODE_REGEXES.has(country);
  return {
    order: hasZip ? western : ['line1', 'line2', 'city', 'state_code'],
    required: hasZip ? ['line1', 'city', 'zip'] : ['line1', 'city'],
    zipLabel: 'postalCode',
    stateLabel: 'region',
    cityLabel: 'city',
  };
}

/** Whether a postal code fits the country's format (countries without a known format accept any). */
export function postalCodeValid(country: string, zip: string): boolean {
  const re = POSTCODE_REGEXES.get(country);
  return re ? re.test(zip.trim()) : true;
}
