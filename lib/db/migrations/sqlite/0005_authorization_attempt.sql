-- Authorization attempts (DESIGN §10): written before the PG is asked to
-- authorize, so an authorization whose outcome never reached the database (PG
-- timeout, crash or database failure after the PG approved) is found and
-- resolved by the authorization janitor, and no hold is left orphaned.
--
-- status: PENDING (outcome unknown), VOIDING (the janitor is voiding an orphan
-- hold), RESOLVED (outcome known). outcome, once RESOLVED: AUTHORIZED or
-- DECLINED (the payment is stored), VOIDED (orphan hold voided), NOT_AT_PG (the
-- PG never authorized it), DECLINED_AT_PG (declined, no payment stored),
-- CAPTURED_AT_PG (captured at the PG with no payment here: for an operator).
-- presented_at: the last time a merchant request presented the attempt; the
-- janitor looks at a PENDING attempt only once it is older than its bound, so
-- a request still in flight is never second-guessed, and purges RESOLVED rows
-- by it too (one index serves both). lease_until: a janitor's claim.
CREATE TABLE authorization_attempt (
  pg_key               TEXT NOT NULL PRIMARY KEY,
  merchant_id          TEXT NOT NULL,
  idempotency_key      TEXT NOT NULL,
  amount               INTEGER NOT NULL,
  currency             TEXT NOT NULL,
  payment_method       TEXT NOT NULL,
  -- The merchant request's fingerprint and path, so the janitor can bind the
  -- key to its answer (an idempotency record) when it voids the hold.
  fingerprint          TEXT NOT NULL,
  request_path         TEXT NOT NULL,
  status               TEXT NOT NULL DEFAULT 'PENDING',
  outcome              TEXT NULL,
  -- Merchant requests that presented this attempt (1 + retries).
  requests             INTEGER NOT NULL DEFAULT 1,
  -- Bumped by every change: the janitor acts only on the version it claimed.
  version              INTEGER NOT NULL DEFAULT 0,
  presented_at         INTEGER NOT NULL,
  lease_until          INTEGER NULL,
  pg_authorization_id  TEXT NULL,
  pg_void_id           TEXT NULL,
  created_at           INTEGER NOT NULL,
  resolved_at          INTEGER NULL,
  CONSTRAINT ck_authorization_attempt_amount CHECK (amount > 0)
) STRICT;
CREATE INDEX ix_authorization_attempt_due ON authorization_attempt (status, presented_at);

-- Reconciliation covers authorizations: approved holds at the PG against our payments.
ALTER TABLE reconciliation_run ADD COLUMN authorizations_matched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reconciliation_run ADD COLUMN hold_without_payment INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reconciliation_run ADD COLUMN payment_unknown_at_pg INTEGER NOT NULL DEFAULT 0;
-- reconciliation_mismatch.operation is TEXT here: MariaDB's widening to 12 characters has no counterpart.
