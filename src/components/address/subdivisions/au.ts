/** Australia's states and territories (ISO 3166-2) as `code:name|...`, loaded when an address in AU is first shown (country-rules.ts). */
export const STATES =
  'ACT:Australian Capital Territory|NSW:New South Wales|NT:Northern Territory|QLD:Queensland|SA:South Australia|TAS:Tasmania|' +
    'VIC:Victoria|WA:Western Australia';
