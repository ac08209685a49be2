-- Merchant webhooks and the events API (DESIGN §11). The database is the truth
-- (DESIGN §10): an event row is derived from its outbox row (same id), a
-- delivery row per (event, endpoint) is the work, and the dispatcher's claims,
-- retries and give-ups are all states of that row, so nothing rests on a bus
-- message or on a process staying alive.

-- status: enabled | disabled. disabled_reason: 'merchant' (PATCH) or
-- 'failures' (WEBHOOK_DISABLE_AFTER_FAILURES consecutive failures spanning at
-- least WEBHOOK_DISABLE_AFTER_MS): only the latter alerts. previous_secret
-- keeps signing next to secret until previous_secret_expires_at (rotation).
-- events: a JSON array of event types, or ["*"].
CREATE TABLE webhook_endpoint (
  id                          VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  merchant_id                 VARCHAR(64) CHARACTER SET ascii NOT NULL,
  url                         VARCHAR(2048) NOT NULL,
  description                 VARCHAR(500) NULL,
  events                      VARCHAR(1000) CHARACTER SET ascii NOT NULL,
  status                      VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'enabled',
  disabled_reason             VARCHAR(12) CHARACTER SET ascii NULL,
  secret                      VARCHAR(100) CHARACTER SET ascii NOT NULL,
  previous_secret             VARCHAR(100) CHARACTER SET ascii NULL,
  previous_secret_expires_at  DATETIME(3) NULL,
  consecutive_failures        INT NOT NULL DEFAULT 0,
  failing_since               DATETIME(3) NULL,
  disabled_at                 DATETIME(3) NULL,
  created_at                  DATETIME(3) NOT NULL,
  updated_at                  DATETIME(3) NOT NULL,
  KEY ix_webhook_endpoint_merchant (merchant_id, status),
  KEY ix_webhook_endpoint_status (status, disabled_reason)
) ENGINE=InnoDB;

-- One event per payment outbox event of a webhook type (id = the outbox
-- event id, so deriving it twice is a duplicate key). payload is the exact
-- JSON every delivery of it sends. Kept 30 days (WEBHOOK_EVENT_RETENTION_MS).
CREATE TABLE webhook_event (
  id           VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  merchant_id  VARCHAR(64) CHARACTER SET ascii NOT NULL,
  type         VARCHAR(40) CHARACTER SET ascii NOT NULL,
  payment_id   VARCHAR(40) CHARACTER SET ascii NOT NULL,
  payload      MEDIUMTEXT NOT NULL,
  created_at   DATETIME(3) NOT NULL,
  recorded_at  DATETIME(3) NOT NULL,
  KEY ix_webhook_event_merchant (merchant_id, created_at, id),
  KEY ix_webhook_event_payment (payment_id, created_at),
  KEY ix_webhook_event_created (created_at)
) ENGINE=InnoDB;

-- One delivery per (event, endpoint). status: PENDING (due at
-- next_attempt_at), DELIVERED, FAILED (attempts exhausted or endpoint
-- disabled). A claim pushes next_attempt_at one lease ahead and stamps
-- claim_token: a dispatcher that dies mid-attempt leaves the row due again
-- after the lease, and a late answer of a stale claim changes nothing.
CREATE TABLE webhook_delivery (
  id                BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id          VARCHAR(40) CHARACTER SET ascii NOT NULL,
  endpoint_id       VARCHAR(40) CHARACTER SET ascii NOT NULL,
  merchant_id       VARCHAR(64) CHARACTER SET ascii NOT NULL,
  status            VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'PENDING',
  attempts          INT NOT NULL DEFAULT 0,
  next_attempt_at   DATETIME(3) NOT NULL,
  claim_token       VARCHAR(40) CHARACTER SET ascii NULL,
  last_status_code  INT NULL,
  last_error        VARCHAR(500) NULL,
  last_latency_ms   INT NULL,
  first_attempt_at  DATETIME(3) NULL,
  last_attempt_at   DATETIME(3) NULL,
  created_at        DATETIME(3) NOT NULL,
  completed_at      DATETIME(3) NULL,
  UNIQUE KEY uq_webhook_delivery (event_id, endpoint_id),
  KEY ix_webhook_delivery_due (status, next_attempt_at),
  KEY ix_webhook_delivery_endpoint (endpoint_id, status)
) ENGINE=InnoDB;
