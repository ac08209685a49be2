-- Settlement (DESIGN §6): voids of cancelled payments are tracked like captures
-- and refunds, so a PG outage delays a void instead of losing it.
-- Reconciliation: each run compares one UTC day of our settled requests with the
-- PG's settlement report and with the ledger, and is kept.

CREATE TABLE void_request (
  id                 VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  payment_id         VARCHAR(40) CHARACTER SET ascii NOT NULL,
  merchant_id        VARCHAR(64) CHARACTER SET ascii NOT NULL,
  amount             BIGINT NOT NULL,
  currency           CHAR(3) CHARACTER SET ascii NOT NULL,
  status             VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'PENDING',
  attempts           INT NOT NULL DEFAULT 0,
  next_attempt_at    DATETIME(3) NOT NULL,
  pg_cancel_id       VARCHAR(64) CHARACTER SET ascii NULL,
  pg_code            VARCHAR(64) CHARACTER SET ascii NULL,
  last_error         VARCHAR(500) NULL,
  created_at         DATETIME(3) NOT NULL,
  updated_at         DATETIME(3) NOT NULL,
  completed_at       DATETIME(3) NULL,
  UNIQUE KEY uq_void_payment (payment_id),
  KEY ix_void_due (status, next_attempt_at)
) ENGINE=InnoDB;

CREATE TABLE reconciliation_run (
  id                 BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  settlement_date    DATE NOT NULL,
  status             VARCHAR(12) CHARACTER SET ascii NOT NULL,
  matched            INT NOT NULL DEFAULT 0,
  missing_at_pg      INT NOT NULL DEFAULT 0,
  missing_here       INT NOT NULL DEFAULT 0,
  amount_mismatch    INT NOT NULL DEFAULT 0,
  ledger_mismatch    INT NOT NULL DEFAULT 0,
  ledger_unbalanced  INT NOT NULL DEFAULT 0,
  error              VARCHAR(500) NULL,
  started_at         DATETIME(3) NOT NULL,
  finished_at        DATETIME(3) NOT NULL,
  KEY ix_reconciliation_run_date (settlement_date, id)
) ENGINE=InnoDB;

CREATE TABLE reconciliation_mismatch (
  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  run_id       BIGINT NOT NULL,
  kind         VARCHAR(24) CHARACTER SET ascii NOT NULL,
  operation    VARCHAR(8) CHARACTER SET ascii NOT NULL,
  request_id   VARCHAR(64) CHARACTER SET ascii NULL,
  payment_id   VARCHAR(64) CHARACTER SET ascii NULL,
  -- Our amount (from the settled requests) and the other side's (the PG's report or the ledger).
  our_amount   BIGINT NULL,
  other_amount BIGINT NULL,
  detail       VARCHAR(500) NULL,
  KEY ix_reconciliation_mismatch_run (run_id, id),
  CONSTRAINT fk_reconciliation_mismatch_run FOREIGN KEY (run_id) REFERENCES reconciliation_run (id)
) ENGINE=InnoDB;

-- Reconciliation reads one day of settled requests and ledger entries.
ALTER TABLE settlement_request ADD KEY ix_settlement_completed (status, completed_at);
ALTER TABLE refund_request ADD KEY ix_refund_completed (status, completed_at);
ALTER TABLE ledger_entry ADD KEY ix_ledger_created (created_at);
