import assert from "node:assert/strict";
import { amountMinorMax, formatMoney, isValidAmount, minorUnits } from "./money.ts";
import { currencyExponent, isCurrency, supportedCurrencies } from "./currency.ts";
import { isPaymentId, newPaymentId, sortableId } from "./ids.ts";

Deno.test("amounts must be positive safe integers no larger than the bound", () => {
  for (const ok of [1, 10000, amountMinorMax]) assert.ok(isValidAmount(ok), String(ok));
  for (
    const bad of [0, -1, 1.5, amountMinorMax + 1, Number.NaN, Infinity, "100", null, 2 ** 60]
  ) {
    assert.ok(!isValidAmount(bad), String(bad));
  }
  assert.throws(() => minorUnits(0), /Amount is not a positive integer of minor units: 0/);
});

Deno.test("currencies carry their ISO 4217 minor-unit exponent", () => {
  assert.equal(currencyExponent("KRW"), 0);
  assert.equal(currencyExponent("USD"), 2);
  assert.equal(currencyExponent("KWD"), 3);
  assert.ok(supportedCurrencies.includes("KRW"));
  assert.ok(!isCurrency("XXX"));
  assert.ok(!isCurrency("usd"));
  assert.ok(!isCurrency("toString"), "inherited object keys are not currencies");
});

Deno.test("money formats in major units with the currency's exponent", () => {
  assert.equal(formatMoney(1690000, "KRW"), "₩1,690,000");
  assert.equal(formatMoney(1250, "USD"), "$12.50");
});

Deno.test("payment ids are opaque, prefixed and sort by creation time", () => {
  const id = newPaymentId();
  assert.ok(isPaymentId(id), id);
  assert.ok(!isPaymentId("pay_123"));
  assert.ok(!isPaymentId(id.toUpperCase()));
  assert.ok(sortableId(1_000) < sortableId(2_000));
});
