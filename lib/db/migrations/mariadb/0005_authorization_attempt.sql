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
  pg_key               VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  merchant_id          VARCHAR(64) CHARACTER SET ascii NOT NULL,
  idempotency_key      VARCHAR(255) CHARACTER SET ascii NOT NULL,
  amount               BIGINT NOT NULL,
  currency             CHAR(3) CHARACTER SET ascii NOT NULL,
  payment_method       VARCHAR(64) CHARACTER SET ascii NOT NULL,
  -- The merchant request's fingerprint and path, so the janitor can bind the
  -- key to its answer (an idempotency record) when it voids the hold.
  fingerprint          CHAR(64) CHARACTER SET ascii NOT NULL,
  request_path         VARCHAR(255) CHARACTER SET ascii NOT NULL,
  status               VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'PENDING',
  outcome              VARCHAR(16) CHARACTER SET ascii NULL,
  -- Merchant requests that presented this attempt (1 + retries).
  requests             INT NOT NULL DEFAULT 1,
  -- Bumped by every change: the janitor acts only on the version it claimed.
  version              INT NOT NULL DEFAULT 0,
  presented_at         DATETIME(3) NOT NULL,
  lease_until          DATETIME(3) NULL,
  pg_authorization_id  VARCHAR(64) CHARACTER SET ascii NULL,
  pg_void_id           VARCHAR(64) CHARACTER SET ascii NULL,
  created_at           DATETIME(3) NOT NULL,
  resolved_at          DATETIME(3) NULL,
  KEY ix_authorization_attempt_due (status, presented_at),
  CONSTRAINT ck_authorization_attempt_amount CHECK (amount > 0)
) ENGINE=InnoDB;

-- Reconciliation covers authorizations: approved holds at the PG against our payments.
ALTER TABLE reconciliation_run
  ADD COLUMN authorizations_matched INT NOT NULL DEFAULT 0,
  ADD COLUMN hold_without_payment INT NOT NULL DEFAULT 0,
  ADD COLUMN payment_unknown_at_pg INT NOT NULL DEFAULT 0;
ALTER TABLE reconciliation_mismatch MODIFY operation VARCHAR(12) CHARACTER SET ascii NOT NULL;
