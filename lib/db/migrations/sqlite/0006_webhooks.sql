-- Merchant webhooks and the events API (DESIGN §11), SQLite dialect of
-- mariadb/0006_webhooks.sql (which explains the columns). Timestamps are
-- INTEGER epoch milliseconds; tables are STRICT. `failing_since` is a
-- timestamp too, though not named *_at: the repositories convert it.

CREATE TABLE webhook_endpoint (
  id                          TEXT NOT NULL PRIMARY KEY,
  merchant_id                 TEXT NOT NULL,
  url                         TEXT NOT NULL,
  description                 TEXT NULL,
  events                      TEXT NOT NULL,
  status                      TEXT NOT NULL DEFAULT 'enabled',
  disabled_reason             TEXT NULL,
  secret                      TEXT NOT NULL,
  previous_secret             TEXT NULL,
  previous_secret_expires_at  INTEGER NULL,
  consecutive_failures        INTEGER NOT NULL DEFAULT 0,
  failing_since               INTEGER NULL,
  disabled_at                 INTEGER NULL,
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL
) STRICT;
CREATE INDEX ix_webhook_endpoint_merchant ON webhook_endpoint (merchant_id, status);
CREATE INDEX ix_webhook_endpoint_status ON webhook_endpoint (status, disabled_reason);

CREATE TABLE webhook_event (
  id           TEXT NOT NULL PRIMARY KEY,
  merchant_id  TEXT NOT NULL,
  type         TEXT NOT NULL,
  payment_id   TEXT NOT NULL,
  payload      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  recorded_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX ix_webhook_event_merchant ON webhook_event (merchant_id, created_at, id);
CREATE INDEX ix_webhook_event_payment ON webhook_event (payment_id, created_at);
CREATE INDEX ix_webhook_event_created ON webhook_event (created_at);

CREATE TABLE webhook_delivery (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id          TEXT NOT NULL,
  endpoint_id       TEXT NOT NULL,
  merchant_id       TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'PENDING',
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  claim_token       TEXT NULL,
  last_status_code  INTEGER NULL,
  last_error        TEXT NULL,
  last_latency_ms   INTEGER NULL,
  first_attempt_at  INTEGER NULL,
  last_attempt_at   INTEGER NULL,
  created_at        INTEGER NOT NULL,
  completed_at      INTEGER NULL,
  CONSTRAINT uq_webhook_delivery UNIQUE (event_id, endpoint_id)
) STRICT;
CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (status, next_attempt_at);
CREATE INDEX ix_webhook_delivery_endpoint ON webhook_delivery (endpoint_id, status);
