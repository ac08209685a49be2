-- Core schema (DESIGN §5), SQLite dialect of mariadb/0001_core.sql. Money is INTEGER minor
-- units (64-bit); timestamps are INTEGER epoch milliseconds; tables are STRICT.

CREATE TABLE merchant (
  id          TEXT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'ACTIVE',
  created_at  INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
) STRICT;

CREATE TABLE merchant_api_key (
  id            TEXT NOT NULL PRIMARY KEY,
  merchant_id   TEXT NOT NULL,
  key_hash      BLOB NOT NULL,
  label         TEXT NULL,
  created_at    INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER)),
  revoked_at    INTEGER NULL,
  CONSTRAINT fk_api_key_merchant FOREIGN KEY (merchant_id) REFERENCES merchant (id)
) STRICT;
CREATE INDEX ix_api_key_merchant ON merchant_api_key (merchant_id);

CREATE TABLE payment (
  id                  TEXT NOT NULL PRIMARY KEY,
  merchant_id         TEXT NOT NULL,
  idempotency_key     TEXT NOT NULL,
  status              TEXT NOT NULL,
  amount              INTEGER NOT NULL,
  currency            TEXT NOT NULL,
  captured_amount     INTEGER NOT NULL DEFAULT 0,
  refunded_amount     INTEGER NOT NULL DEFAULT 0,
  order_id            TEXT NULL,
  description         TEXT NULL,
  pg_authorization_id TEXT NULL,
  decline_code        TEXT NULL,
  auth_expires_at     INTEGER NULL,
  version             INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  CONSTRAINT ck_payment_amounts CHECK (
    amount > 0 AND captured_amount >= 0 AND captured_amount <= amount
    AND refunded_amount >= 0 AND refunded_amount <= captured_amount)
) STRICT;
CREATE UNIQUE INDEX uq_payment_merchant_idempotency ON payment (merchant_id, idempotency_key);
CREATE INDEX ix_payment_merchant_list ON payment (merchant_id, id);
CREATE INDEX ix_payment_merchant_status ON payment (merchant_id, status, id);
CREATE INDEX ix_payment_expiry ON payment (status, auth_expires_at);

CREATE TABLE payment_event (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id   TEXT NOT NULL,
  from_status  TEXT NULL,
  to_status    TEXT NOT NULL,
  amount       INTEGER NULL,
  request_id   TEXT NULL,
  reason       TEXT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX ix_payment_event_payment ON payment_event (payment_id, id);

CREATE TABLE idempotency_record (
  merchant_id      TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  fingerprint      TEXT NOT NULL,
  method           TEXT NOT NULL,
  path             TEXT NOT NULL,
  status           TEXT NOT NULL,
  http_status      INTEGER NOT NULL,
  body             TEXT NOT NULL,
  payment_id       TEXT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, idempotency_key)
) STRICT;
CREATE INDEX ix_idempotency_expiry ON idempotency_record (expires_at);

CREATE TABLE outbox_event (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         TEXT NOT NULL,
  aggregate_id     TEXT NOT NULL,
  topic            TEXT NOT NULL,
  payload          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'NEW',
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT NULL,
  created_at       INTEGER NOT NULL,
  published_at     INTEGER NULL
) STRICT;
CREATE UNIQUE INDEX uq_outbox_event_id ON outbox_event (event_id);
CREATE INDEX ix_outbox_due ON outbox_event (status, next_attempt_at, id);
CREATE INDEX ix_outbox_aggregate ON outbox_event (aggregate_id, id);

CREATE TABLE settlement_request (
  id                 TEXT NOT NULL PRIMARY KEY,
  payment_id         TEXT NOT NULL,
  merchant_id        TEXT NOT NULL,
  amount             INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL DEFAULT 'PENDING',
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    INTEGER NOT NULL,
  pg_transaction_id  TEXT NULL,
  pg_code            TEXT NULL,
  last_error         TEXT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  completed_at       INTEGER NULL,
  CONSTRAINT ck_settlement_amount CHECK (amount > 0)
) STRICT;
CREATE INDEX ix_settlement_due ON settlement_request (status, next_attempt_at);
CREATE INDEX ix_settlement_payment ON settlement_request (payment_id);

CREATE TABLE refund_request (
  id                 TEXT NOT NULL PRIMARY KEY,
  payment_id         TEXT NOT NULL,
  merchant_id        TEXT NOT NULL,
  amount             INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  reason             TEXT NULL,
  status             TEXT NOT NULL DEFAULT 'PENDING',
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    INTEGER NOT NULL,
  pg_refund_id       TEXT NULL,
  pg_code            TEXT NULL,
  last_error         TEXT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  completed_at       INTEGER NULL,
  CONSTRAINT ck_refund_amount CHECK (amount > 0)
) STRICT;
CREATE INDEX ix_refund_due ON refund_request (status, next_attempt_at);
CREATE INDEX ix_refund_payment ON refund_request (payment_id);

CREATE TABLE ledger_entry (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  source_event_id  TEXT NOT NULL,
  payment_id       TEXT NOT NULL,
  merchant_id      TEXT NOT NULL,
  entry_type       TEXT NOT NULL,
  currency         TEXT NOT NULL,
  created_at       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX uq_ledger_source_event ON ledger_entry (source_event_id);
CREATE INDEX ix_ledger_payment ON ledger_entry (payment_id);
CREATE INDEX ix_ledger_merchant ON ledger_entry (merchant_id);

CREATE TABLE ledger_line (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id   INTEGER NOT NULL,
  account    TEXT NOT NULL,
  direction  TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  currency   TEXT NOT NULL,
  CONSTRAINT fk_ledger_line_entry FOREIGN KEY (entry_id) REFERENCES ledger_entry (id),
  CONSTRAINT ck_ledger_line CHECK (amount > 0 AND direction IN ('DEBIT', 'CREDIT'))
) STRICT;
CREATE INDEX ix_ledger_line_entry ON ledger_line (entry_id);
CREATE INDEX ix_ledger_line_account ON ledger_line (account, currency);

CREATE TABLE consumer_inbox (
  consumer_group  TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  processed_at    INTEGER NOT NULL,
  PRIMARY KEY (consumer_group, event_id)
) STRICT;
