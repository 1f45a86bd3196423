// A fixed number of new-subscription estimates (10 lines × argv[3], 100 lines × argv[4]) on a given core build, for
// instruction counts: valgrind --tool=callgrind node --single-threaded bench/estimate-count.mjs <core.js> 20000 2000
// ("0 0" only loads the module and builds the catalog). Prints a checksum; with a 5th argument "dump", both estimates.
const [file, r10, r100] = process.argv.slice(2);
const core = await import(file);
const { addonSchema, couponSchema, estimateNewSubscription, parseOrThrow, planSchema } = core;
const now = Date.UTC(2025, 0, 31) / 1000;
const plan = parseOrThrow(planSchema, { id: 'bench', name: 'Bench', price: 4900, pricing_model: 'flat_fee' });
const coupons = [
  parseOrThrow(couponSchema, { id: 'P', name: 'P', discount_type: 'percentage', discount_percentage: 12.5 }),
  parseOrThrow(couponSchema, { id: 'F', name: 'F', discount_type: 'fixed_amount', discount_amount: 700, currency_code: 'USD' }),
];
const taxProfile = { rates: [{ country: 'US', region: 'NY', rate: '8.875', name: 'NY' }] };
function setup(lines) {
  const addons = Array.from({ length: lines - 1 }, (_, i) =>
    parseOrThrow(addonSchema, {
      id: `a${i}`, name: `Addon ${i}`, type: i % 3 === 0 ? 'tiered' : 'quantity', price: 100 + i,
      ...(i % 3 === 0 && { tiers: [{ starting_unit: 1, ending_unit: 10, price: 300 }, { starting_unit: 11, price: 200 }] }),
    }));
  return { addons, chosen: addons.map((a, i) => ({ id: a.id, quantity: 1 + (i % 17) })) };
}
let h = 0;
for (const [lines, runs] of [[10, +r10], [100, +r100]]) {
  const { addons, chosen } = setup(lines);
  const ctx = { addons, now, taxProfile, billingAddress: { country: 'US', state_code: 'NY' } };
  for (let i = 0; i < runs; i++) h += estimateNewSubscription({ plan, addons: chosen, coupons }, ctx).next_invoice_estimate.total;
}
if (process.argv[5] === 'dump') {
  for (const lines of [10, 100]) { const { addons, chosen } = setup(lines);
    console.log(JSON.stringify(estimateNewSubscription({ plan, addons: chosen, coupons }, { addons, now, taxProfile, billingAddress: { country: 'US', state_code: 'NY' } }))); }
} else console.log(h);
