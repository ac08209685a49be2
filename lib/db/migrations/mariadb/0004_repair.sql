-- Repair of lost messages (DESIGN §10): the database is the truth, and what a
-- lost bus message should have caused is derived from it again.

-- One row per scheduled sweeper: the worker process holding it runs the passes
-- until expires_at; others skip. Passes are idempotent either way: the lease
-- saves work, the unique keys (consumer inbox, one void per payment) keep it right.
CREATE TABLE scheduler_lease (
  name        VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  owner       VARCHAR(100) CHARACTER SET ascii NOT NULL,
  expires_at  DATETIME(3) NOT NULL,
  acquired_at DATETIME(3) NOT NULL
) ENGINE=InnoDB;

-- How far each sweeper source has checked, as a keyset position (time, id) in
-- its table: every row before it was checked once its event had left the
-- outbox, so a pass reads only what settled since (bounded by SWEEP_BATCH_SIZE).
CREATE TABLE sweeper_cursor (
  name         VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  position_at  DATETIME(3) NOT NULL,
  position_id  VARCHAR(40) CHARACTER SET ascii NOT NULL,
  updated_at   DATETIME(3) NOT NULL
) ENGINE=InnoDB;

-- The bus epoch the outbox was last published into. A bus that restarted empty
-- gets a new epoch marker; the relay that first records the new epoch here
-- re-publishes the replay window (in the same transaction, so exactly once).
CREATE TABLE bus_epoch (
  bus          VARCHAR(16) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  epoch        VARCHAR(64) CHARACTER SET ascii NOT NULL,
  recorded_at  DATETIME(3) NOT NULL
) ENGINE=InnoDB;

-- The void sweeper reads CANCELLED and EXPIRED payments in (updated_at, id) order.
ALTER TABLE payment ADD KEY ix_payment_status_updated (status, updated_at);
