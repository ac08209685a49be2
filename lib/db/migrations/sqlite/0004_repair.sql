-- Repair of lost messages (DESIGN §10): the database is the truth, and what a
-- lost bus message should have caused is derived from it again.

-- One row per scheduled sweeper: the worker process holding it runs the passes
-- until expires_at; others skip. Passes are idempotent either way: the lease
-- saves work, the unique keys (consumer inbox, one void per payment) keep it right.
CREATE TABLE scheduler_lease (
  name        TEXT NOT NULL PRIMARY KEY,
  owner       TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  acquired_at INTEGER NOT NULL
) STRICT;

-- How far each sweeper source has checked, as a keyset position (time, id) in
-- its table: every row before it was checked once its event had left the
-- outbox, so a pass reads only what settled since (bounded by SWEEP_BATCH_SIZE).
CREATE TABLE sweeper_cursor (
  name         TEXT NOT NULL PRIMARY KEY,
  position_at  INTEGER NOT NULL,
  position_id  TEXT NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

-- The bus epoch the outbox was last published into. A bus that restarted empty
-- gets a new epoch marker; the relay that first records the new epoch here
-- re-publishes the replay window (in the same transaction, so exactly once).
CREATE TABLE bus_epoch (
  bus          TEXT NOT NULL PRIMARY KEY,
  epoch        TEXT NOT NULL,
  recorded_at  INTEGER NOT NULL
) STRICT;

-- The void sweeper reads CANCELLED and EXPIRED payments in (updated_at, id) order.
CREATE INDEX ix_payment_status_updated ON payment (status, updated_at);
