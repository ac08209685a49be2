-- Merchant API completeness (issue 16), SQLite dialect of
-- mariadb/0007_refund_metadata_keymode.sql (which explains the columns).

ALTER TABLE merchant_api_key ADD COLUMN kind TEXT NOT NULL DEFAULT 'secret'
  CHECK (kind IN ('secret', 'publishable'));

ALTER TABLE payment ADD COLUMN mode TEXT NOT NULL DEFAULT 'live' CHECK (mode IN ('test', 'live'));
ALTER TABLE payment ADD COLUMN metadata TEXT NULL;
CREATE INDEX ix_payment_merchant_mode_list ON payment (merchant_id, mode, id);
CREATE INDEX ix_payment_merchant_order ON payment (merchant_id, order_id);
