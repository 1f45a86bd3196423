/**
 * `paylit/merchant`: what a merchant server imports (webhook verification, idempotent event handling, the credit
 * ledger). Not built yet; this entry point exists so the package's exports map is stable.
 */
export {};
