/**
 * The address rules of each country, loaded on first use of `<paylit-address>` (its own chunk, with the postal-code
 * formats of the `postcode-validator` package), so pages without an address form do not carry them.
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
const CA_PROVINCES = list(
  'AB:Alberta|BC:British Columbia|MB:Manitoba|NB:New Brunswick|NL:Newfoundland and Labrador|NS:Nova Scotia|NT:Northwest Territories|' +
    'NU:Nunavut|ON:Ontario|PE:Prince Edward Island|QC:Quebec|SK:Saskatchewan|YT:Yukon',
);
const AU_STATES = list(
  'ACT:Australian Capital Territory|NSW:New South Wales|NT:Northern Territory|QLD:Queensland|SA:South Australia|TAS:Tasmania|' +
    'VIC:Victoria|WA:Western Australia',
);
const IN_STATES = list(
  'AN:Andaman and Nicobar Islands|AP:Andhra Pradesh|AR:Arunachal Pradesh|AS:Assam|BR:Bihar|CH:Chandigarh|CG:Chhattisgarh|' +
    'DH:Dadra and Nagar Haveli and Daman and Diu|DL:Delhi|GA:Goa|GJ:Gujarat|HR:Haryana|HP:Himachal Pradesh|JK:Jammu and Kashmir|' +
    'JH:Jharkhand|KA:Karnataka|KL:Kerala|LA:Ladakh|LD:Lakshadweep|MP:Madhya Pradesh|MH:Maharashtra|MN:Manipur|ML:Meghalaya|' +
    'MZ:Mizoram|NL:Nagaland|OD:Odisha|PY:Puducherry|PB:Punjab|RJ:Rajasthan|SK:Sikkim|TN:Tamil Nadu|TS:Telangana|TR:Tripura|' +
    'UP:Uttar Pradesh|UK:Uttarakhand|WB:West Bengal',
);
const BR_STATES = list(
  'AC:Acre|AL:Alagoas|AP:Amapá|AM:Amazonas|BA:Bahia|CE:Ceará|DF:Distrito Federal|ES:Espírito Santo|GO:Goiás|MA:Maranhão|' +
    'MT:Mato Grosso|MS:Mato Grosso do Sul|MG:Minas Gerais|PA:Pará|PB:Paraíba|PR:Paraná|PE:Pernambuco|PI:Piauí|RJ:Rio de Janeiro|' +
    'RN:Rio Grande do Norte|RS:Rio Grande do Sul|RO:Rondônia|RR:Roraima|SC:Santa Catarina|SP:São Paulo|SE:Sergipe|TO:Tocantins',
);
const JP_ROMAJI =
  'Hokkaido Aomori Iwate Miyagi Akita Yamagata Fukushima Ibaraki Tochigi Gunma Saitama Chiba Tokyo Kanagawa Niigata Toyama ' +
  'Ishikawa Fukui Yamanashi Nagano Gifu Shizuoka Aichi Mie Shiga Kyoto Osaka Hyogo Nara Wakayama Tottori Shimane Okayama ' +
  'Hiroshima Yamaguchi Tokushima Kagawa Ehime Kochi Fukuoka Saga Nagasaki Kumamoto Oita Miyazaki Kagoshima Okinawa';
const JP_KANJI =
  '北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 ' +
  '岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 ' +
  '佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県';
/** The 47 prefectures (JP-01 to JP-47), in Japanese script for Japanese readers and in romaji otherwise. */
export function prefectures(locale: string): Array<[string, string]> {
  const names = (locale.startsWith('ja') ? JP_KANJI : JP_ROMAJI).split(' ');
  return names.map((n, i) => [String(i + 1).padStart(2, '0'), n]);
}

const western: AddressField[] = ['line1', 'line2', 'city', 'state_code', 'zip'];
const zipFirst: AddressField[] = ['line1', 'line2', 'zip', 'city'];
const full: AddressField[] = ['line1', 'city', 'state_code', 'zip'];

/** Full rules for the countries Paylit knows well; `ruleFor` gives every other country a sensible default. */
const RULES: Record<string, CountryRule> = {
  US: { order: western, required: full, zipLabel: 'zip', zipExample: '94105', stateLabel: 'state', cityLabel: 'city', states: US_STATES },
  CA: { order: western, required: full, zipLabel: 'postalCode', zipExample: 'K1A 0B1', stateLabel: 'province', cityLabel: 'city', states: CA_PROVINCES },
  GB: { order: western, required: ['line1', 'city', 'zip'], zipLabel: 'postcode', zipExample: 'SW1A 1AA', stateLabel: 'county', cityLabel: 'town' },
  DE: { order: zipFirst, required: ['line1', 'zip', 'city'], zipLabel: 'postalCode', zipExample: '10115', stateLabel: 'region', cityLabel: 'city' },
  FR: { order: zipFirst, required: ['line1', 'zip', 'city'], zipLabel: 'postalCode', zipExample: '75008', stateLabel: 'region', cityLabel: 'city' },
  NL: { order: zipFirst, required: ['line1', 'zip', 'city'], zipLabel: 'postcode', zipExample: '1012 JS', stateLabel: 'region', cityLabel: 'city' },
  IN: { order: western, required: full, zipLabel: 'pinCode', zipExample: '110001', stateLabel: 'state', cityLabel: 'city', states: IN_STATES },
  AU: { order: western, required: full, zipLabel: 'postcode', zipExample: '2000', stateLabel: 'state', cityLabel: 'suburb', states: AU_STATES },
  JP: { order: ['zip', 'state_code', 'city', 'line1', 'line2'], required: ['zip', 'state_code', 'city', 'line1'], zipLabel: 'postalCode', zipExample: '100-0001', stateLabel: 'prefecture', cityLabel: 'cityWard' },
  BR: { order: ['zip', 'line1', 'line2', 'city', 'state_code'], required: full, zipLabel: 'cep', zipExample: '01310-100', stateLabel: 'state', cityLabel: 'city', states: BR_STATES },
};

/** The rules of a country: its own, or for any other code lines, city and an optional region, with a postal code where it has them. */
export function ruleFor(country: string, locale: string): CountryRule {
  const own = RULES[country];
  if (own) return country === 'JP' ? { ...own, states: prefectures(locale) } : own;
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
