/**
 * A payment's `metadata`: the merchant's own key-value strings, stored and
 * returned as given (Stripe's limits, so integrations carry over).
 */
export type PaymentMetadata = Readonly<Record<string, string>>;

/** Keys per payment: enough for order references and tags, small enough to return everywhere. */
export const metadataKeysMax = 50;
/** Characters of one key. */
export const metadataKeyCharsMax = 40;
/** Characters of one value. */
export const metadataValueCharsMax = 500;
