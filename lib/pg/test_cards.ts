/**
 * Test cards: `paymentMethod` tokens with a fixed, documented outcome. pgsim
 * and the fake client both obey this table, and the shop's test-card picker
 * lists it, so a token means the same thing everywhere.
 */
export type TestCardBehaviour =
  /** Approved (unless pgsim's declineRate fault declines it as card_declined). */
  | "approve"
  /** Declined with code `card_declined`. */
  | "decline"
  /** Declined with code `insufficient_funds`. */
  | "insufficient_funds"
  /** The PG holds the response past any sane caller timeout, then approves. */
  | "timeout"
  /** The PG answers 503: outcome unavailable, nothing recorded. */
  | "fail";

export interface TestCard {
  readonly token: string;
  readonly label: string;
  readonly behaviour: TestCardBehaviour;
}

export const pgTestCards: readonly TestCard[] = Object.freeze(
  [
    { token: "tok_visa", label: "Visa (approved)", behaviour: "approve" },
    { token: "tok_mastercard", label: "Mastercard (approved)", behaviour: "approve" },
    { token: "tok_decline", label: "Declined (card_declined)", behaviour: "decline" },
    {
      token: "tok_insufficient_funds",
      label: "Declined (insufficient_funds)",
      behaviour: "insufficient_funds",
    },
    { token: "tok_timeout", label: "PG timeout", behaviour: "timeout" },
    { token: "tok_fail", label: "PG failure (503)", behaviour: "fail" },
  ] as const,
);

const behaviourByToken: ReadonlyMap<string, TestCardBehaviour> = new Map(
  pgTestCards.map((card) => [card.token, card.behaviour]),
);

/** The token the platform uses when a merchant names no payment method. */
export const defaultTestCardToken = "tok_visa";

/** True for a token the PG knows; the PG answers 400 to any other. */
export function isTestCardToken(value: unknown): value is string {
  return typeof value === "string" && behaviourByToken.has(value);
}

/** The behaviour of a known token, or undefined for an unknown one. */
export function testCardBehaviour(token: string): TestCardBehaviour | undefined {
  return behaviourByToken.get(token);
}
