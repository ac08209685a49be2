-- Settlement (DESIGN §6): voids of cancelled payments are tracked like captures
-- and refunds, so a PG outage delays a void instead of losing it.
-- Reconciliation: each run compares one UTC day of our settled requests with the
-- PG's settlement report and with the ledger, and is kept.

CREATE TABLE void_request (
  id                 TEXT NOT NULL PRIMARY KEY,
  payment_id         TEXT NOT NULL,
  merchant_id        TEXT NOT NULL,
  amount             INTEGER NOT NULL,
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL DEFAULT 'PENDING',
  attempts           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at    INTEGER NOT NULL,
  pg_cancel_id       TEXT NULL,
  pg_code            TEXT NULL,
  last_error         TEXT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  completed_at       INTEGER NULL
) STRICT;
CREATE UNIQUE INDEX uq_void_payment ON void_request (payment_id);
CREATE INDEX ix_void_due ON void_request (status, next_attempt_at);

CREATE TABLE reconciliation_run (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  settlement_date    TEXT NOT NULL,
  status             TEXT NOT NULL,
  matched            INTEGER NOT NULL DEFAULT 0,
  missing_at_pg      INTEGER NOT NULL DEFAULT 0,
  missing_here       INTEGER NOT NULL DEFAULT 0,
  amount_mismatch    INTEGER NOT NULL DEFAULT 0,
  ledger_mismatch    INTEGER NOT NULL DEFAULT 0,
  ledger_unbalanced  INTEGER NOT NULL DEFAULT 0,
  error              TEXT NULL,
  started_at         INTEGER NOT NULL,
  finished_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX ix_reconciliation_run_date ON reconciliation_run (settlement_date, id);

CREATE TABLE reconciliation_mismatch (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id       INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  operation    TEXT NOT NULL,
  request_id   TEXT NULL,
  payment_id   TEXT NULL,
  -- Our amount (from the settled requests) and the other side's (the PG's report or the ledger).
  our_amount   INTEGER NULL,
  other_amount INTEGER NULL,
  detail       TEXT NULL,
  CONSTRAINT fk_reconciliation_mismatch_run FOREIGN KEY (run_id) REFERENCES reconciliation_run (id)
) STRICT;
CREATE INDEX ix_reconciliation_mismatch_run ON reconciliation_mismatch (run_id, id);

-- Reconciliation reads one day of settled requests and ledger entries.
CREATE INDEX ix_settlement_completed ON settlement_request (status, completed_at);
CREATE INDEX ix_refund_completed ON refund_request (status, completed_at);
CREATE INDEX ix_ledger_created ON ledger_entry (created_at);
