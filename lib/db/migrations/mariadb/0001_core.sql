-- Core schema (DESIGN §5). Money is BIGINT minor units; ids and keys are ASCII.

CREATE TABLE merchant (
  id          VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  status      VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'ACTIVE',
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

CREATE TABLE merchant_api_key (
  id            VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  merchant_id   VARCHAR(64) CHARACTER SET ascii NOT NULL,
  key_hash      BINARY(32) NOT NULL,
  label         VARCHAR(100) NULL,
  created_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  revoked_at    DATETIME(3) NULL,
  KEY ix_api_key_merchant (merchant_id),
  CONSTRAINT fk_api_key_merchant FOREIGN KEY (merchant_id) REFERENCES merchant (id)
) ENGINE=InnoDB;

CREATE TABLE payment (
  id                  VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  merchant_id         VARCHAR(64) CHARACTER SET ascii NOT NULL,
  idempotency_key     VARCHAR(255) CHARACTER SET ascii NOT NULL,
  status              VARCHAR(24) CHARACTER SET ascii NOT NULL,
  amount              BIGINT NOT NULL,
  currency            CHAR(3) CHARACTER SET ascii NOT NULL,
  captured_amount     BIGINT NOT NULL DEFAULT 0,
  refunded_amount     BIGINT NOT NULL DEFAULT 0,
  order_id            VARCHAR(64) NULL,
  description         VARCHAR(255) NULL,
  pg_authorization_id VARCHAR(64) CHARACTER SET ascii NULL,
  decline_code        VARCHAR(64) CHARACTER SET ascii NULL,
  auth_expires_at     DATETIME(3) NULL,
  version             INT NOT NULL DEFAULT 0,
  created_at          DATETIME(3) NOT NULL,
  updated_at          DATETIME(3) NOT NULL,
  UNIQUE KEY uq_payment_merchant_idempotency (merchant_id, idempotency_key),
  KEY ix_payment_merchant_list (merchant_id, id),
  KEY ix_payment_merchant_status (merchant_id, status, id),
  KEY ix_payment_expiry (status, auth_expires_at),
  CONSTRAINT ck_payment_amounts CHECK (
    amount > 0 AND captured_amount >= 0 AND captured_amount <= amount
    AND refunded_amount >= 0 AND refunded_amount <= captured_amount)
) ENGINE=InnoDB;

CREATE TABLE payment_event (
  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  payment_id   VARCHAR(40) CHARACTER SET ascii NOT NULL,
  from_status  VARCHAR(24) CHARACTER SET ascii NULL,
  to_status    VARCHAR(24) CHARACTER SET ascii NOT NULL,
  amount       BIGINT NULL,
  request_id   VARCHAR(40) CHARACTER SET ascii NULL,
  reason       VARCHAR(255) NULL,
  created_at   DATETIME(3) NOT NULL,
  KEY ix_payment_event_payment (payment_id, id)
) ENGINE=InnoDB;

CREATE TABLE idempotency_record (
  merchant_id      VARCHAR(64) CHARACTER SET ascii NOT NULL,
  idempotency_key  VARCHAR(255) CHARACTER SET ascii NOT NULL,
  fingerprint      CHAR(64) CHARACTER SET ascii NOT NULL,
  method           VARCHAR(8) CHARACTER SET ascii NOT NULL,
  path             VARCHAR(255) CHARACTER SET ascii NOT NULL,
  status           VARCHAR(16) CHARACTER SET ascii NOT NULL,
  http_status      SMALLINT NOT NULL,
  body             MEDIUMTEXT NOT NULL,
  payment_id       VARCHAR(40) CHARACTER SET ascii NULL,
  created_at       DATETIME(3) NOT NULL,
  expires_at       DATETIME(3) NOT NULL,
  PRIMARY KEY (merchant_id, idempotency_key),
  KEY ix_idempotency_expiry (expires_at)
) ENGINE=InnoDB;

CREATE TABLE outbox_event (
  id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id         VARCHAR(40) CHARACTER SET ascii NOT NULL,
  aggregate_id     VARCHAR(40) CHARACTER SET ascii NOT NULL,
  topic            VARCHAR(64) CHARACTER SET ascii NOT NULL,
  payload          MEDIUMTEXT NOT NULL,
  status           VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'NEW',
  attempts         INT NOT NULL DEFAULT 0,
  next_attempt_at  DATETIME(3) NOT NULL,
  last_error       VARCHAR(500) NULL,
  created_at       DATETIME(3) NOT NULL,
  published_at     DATETIME(3) NULL,
  UNIQUE KEY uq_outbox_event_id (event_id),
  KEY ix_outbox_due (status, next_attempt_at, id),
  KEY ix_outbox_aggregate (aggregate_id, id)
) ENGINE=InnoDB;

CREATE TABLE settlement_request (
  id                 VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  payment_id         VARCHAR(40) CHARACTER SET ascii NOT NULL,
  merchant_id        VARCHAR(64) CHARACTER SET ascii NOT NULL,
  amount             BIGINT NOT NULL,
  currency           CHAR(3) CHARACTER SET ascii NOT NULL,
  status             VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'PENDING',
  attempts           INT NOT NULL DEFAULT 0,
  next_attempt_at    DATETIME(3) NOT NULL,
  pg_transaction_id  VARCHAR(64) CHARACTER SET ascii NULL,
  pg_code            VARCHAR(64) CHARACTER SET ascii NULL,
  last_error         VARCHAR(500) NULL,
  created_at         DATETIME(3) NOT NULL,
  updated_at         DATETIME(3) NOT NULL,
  completed_at       DATETIME(3) NULL,
  KEY ix_settlement_due (status, next_attempt_at),
  KEY ix_settlement_payment (payment_id),
  CONSTRAINT ck_settlement_amount CHECK (amount > 0)
) ENGINE=InnoDB;

CREATE TABLE refund_request (
  id                 VARCHAR(40) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  payment_id         VARCHAR(40) CHARACTER SET ascii NOT NULL,
  merchant_id        VARCHAR(64) CHARACTER SET ascii NOT NULL,
  amount             BIGINT NOT NULL,
  currency           CHAR(3) CHARACTER SET ascii NOT NULL,
  reason             VARCHAR(255) NULL,
  status             VARCHAR(12) CHARACTER SET ascii NOT NULL DEFAULT 'PENDING',
  attempts           INT NOT NULL DEFAULT 0,
  next_attempt_at    DATETIME(3) NOT NULL,
  pg_refund_id       VARCHAR(64) CHARACTER SET ascii NULL,
  pg_code            VARCHAR(64) CHARACTER SET ascii NULL,
  last_error         VARCHAR(500) NULL,
  created_at         DATETIME(3) NOT NULL,
  updated_at         DATETIME(3) NOT NULL,
  completed_at       DATETIME(3) NULL,
  KEY ix_refund_due (status, next_attempt_at),
  KEY ix_refund_payment (payment_id),
  CONSTRAINT ck_refund_amount CHECK (amount > 0)
) ENGINE=InnoDB;

CREATE TABLE ledger_entry (
  id               BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  source_event_id  VARCHAR(40) CHARACTER SET ascii NOT NULL,
  payment_id       VARCHAR(40) CHARACTER SET ascii NOT NULL,
  merchant_id      VARCHAR(64) CHARACTER SET ascii NOT NULL,
  entry_type       VARCHAR(32) CHARACTER SET ascii NOT NULL,
  currency         CHAR(3) CHARACTER SET ascii NOT NULL,
  created_at       DATETIME(3) NOT NULL,
  UNIQUE KEY uq_ledger_source_event (source_event_id),
  KEY ix_ledger_payment (payment_id),
  KEY ix_ledger_merchant (merchant_id)
) ENGINE=InnoDB;

CREATE TABLE ledger_line (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entry_id   BIGINT NOT NULL,
  account    VARCHAR(100) CHARACTER SET ascii NOT NULL,
  direction  VARCHAR(6) CHARACTER SET ascii NOT NULL,
  amount     BIGINT NOT NULL,
  currency   CHAR(3) CHARACTER SET ascii NOT NULL,
  KEY ix_ledger_line_entry (entry_id),
  KEY ix_ledger_line_account (account, currency),
  CONSTRAINT fk_ledger_line_entry FOREIGN KEY (entry_id) REFERENCES ledger_entry (id),
  CONSTRAINT ck_ledger_line CHECK (amount > 0 AND direction IN ('DEBIT', 'CREDIT'))
) ENGINE=InnoDB;

CREATE TABLE consumer_inbox (
  consumer_group  VARCHAR(64) CHARACTER SET ascii NOT NULL,
  event_id        VARCHAR(40) CHARACTER SET ascii NOT NULL,
  processed_at    DATETIME(3) NOT NULL,
  PRIMARY KEY (consumer_group, event_id)
) ENGINE=InnoDB;
