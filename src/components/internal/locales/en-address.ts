/**
 * The address form's own English strings (the labels only some countries use, its messages): added when the form's
 * chunk loads (address-form.ts), so the elements' first download carries none of them. The other languages hold
 * every key.
 */
export const addressFormEnglish = {
  shippingAddress: 'Shipping address',
  firstName: 'First name',
  lastName: 'Last name',
  town: 'Town or city',
  suburb: 'Suburb',
  cityWard: 'City, ward or village',
  province: 'Province',
  prefecture: 'Prefecture',
  county: 'County (optional)',
  postcode: 'Postcode',
  pinCode: 'PIN code',
  cep: 'CEP',
  choose: 'Choose…',
  invalidPostal: 'Enter a valid {field}, such as {example}.',
  invalidPostalPlain: 'Enter a valid {field}.',
  tooLong: '{field} must be at most {max} characters.',
};
