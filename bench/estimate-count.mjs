// A fixed number of new-subscription estimates (10 lines × argv[3], 100 lines × argv[4]) on a given core build, for
// instruction counts: valgrind --tool=callgrind node --single-threaded bench/estimate-count.mjs <core.js> 20000 2000
// ("0 0" only loads the module and builds the catalog). Prints a checksum; with a 5th argument "dump", both estimates.
const [file, r10, r100] = process.argv.slice(2);
const core = await import(file);
const { BILLING_ADDRESS, NOW: now, TAX_PROFILE: taxProfile, benchCart } = await import('./estimate-cart.mjs');
const { estimateNewSubscription } = core;
const { plan, coupons, lines: setup } = benchCart(core);
let h = 0;
for (const [lines, runs] of [[10, +r10], [100, +r100]]) {
  const { addons, chosen } = setup(lines);
  const ctx = { addons, now, taxProfile, billingAddress: BILLING_ADDRESS };
  for (let i = 0; i < runs; i++) h += estimateNewSubscription({ plan, addons: chosen, coupons }, ctx).next_invoice_estimate.total;
}
if (process.argv[5] === 'dump') {
  for (const lines of [10, 100]) { const { addons, chosen } = setup(lines);
    console.log(JSON.stringify(estimateNewSubscription({ plan, addons: chosen, coupons }, { addons, now, taxProfile, billingAddress: BILLING_ADDRESS }))); }
} else console.log(h);
