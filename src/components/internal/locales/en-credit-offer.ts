/**
 * The credit balance's top-up offer, in English: added when the offer's chunk loads (credit-balance-offer.ts, on the
 * offer's first open), so a page whose balance never asks carries none of them. The other languages hold every key.
 */
export const creditOfferEnglish = {
  lowBalance: 'Your credits are running low',
  lowBalanceText: 'You have {balance}; top up to keep going.',
  topUpWith: 'Top up with {pack} for {price}.',
  replenishNow: 'Replenish now',
  atRenewal: 'Add at next renewal',
  changePack: 'Change pack',
  noThanks: 'No thanks',
  choosePack: 'Choose a pack',
  buyPack: 'Buy {pack} · {price}',
  stopTitle: 'Stop renewing?',
  stopText: 'Your subscription ends at the end of this term instead of renewing. The credits you have stay yours; you can undo this until then.',
  stopConfirm: 'Stop renewing',
  keep: 'Keep my subscription',
  back: 'Back',
};
