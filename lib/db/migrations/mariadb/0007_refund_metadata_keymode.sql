-- Merchant API completeness (issue 16): test and live mode, key kinds, metadata.
--
-- merchant_api_key.kind: 'secret' (sk_…, and the former pk_… secret keys, which are
-- every row written before this version) or 'publishable' (pk_test_…/pk_live_…, refused
-- by the payment API). The key's mode is in its text (sk_test_/sk_live_), which its hash
-- covers, so it needs no column.
-- payment.mode: the mode of the key that created the payment; reads and lists of a key
-- see only its own mode. Payments written before this version count as live: the
-- conservative choice for a deployment with real payments (a test payment from before
-- reads as live; a live one never disappears).
-- payment.metadata: the merchant's key-value strings as a JSON object (≤ 50 keys of
-- ≤ 40 characters, values ≤ 500 characters: up to ~100 KB in UTF-8), NULL when none.
-- Refunds need no table: a refund is its refund_request row.

ALTER TABLE merchant_api_key
  ADD COLUMN kind VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'secret',
  ADD CONSTRAINT ck_api_key_kind CHECK (kind IN ('secret', 'publishable'));

ALTER TABLE payment
  ADD COLUMN mode VARCHAR(4) CHARACTER SET ascii NOT NULL DEFAULT 'live',
  ADD COLUMN metadata MEDIUMTEXT NULL,
  ADD CONSTRAINT ck_payment_mode CHECK (mode IN ('test', 'live')),
  ADD KEY ix_payment_merchant_mode_list (merchant_id, mode, id),
  ADD KEY ix_payment_merchant_order (merchant_id, order_id);
