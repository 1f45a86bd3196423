/** Canada's provinces and territories (ISO 3166-2) as `code:name|...`, loaded when an address in CA is first shown (country-rules.ts). */
export const STATES =
  'AB:Alberta|BC:British Columbia|MB:Manitoba|NB:New Brunswick|NL:Newfoundland and Labrador|NS:Nova Scotia|NT:Northwest Territories|' +
    'NU:Nunavut|ON:Ontario|PE:Prince Edward Island|QC:Quebec|SK:Saskatchewan|YT:Yukon';
