-- Event pipeline (DESIGN §6): the dead-letter archive and the record of replays.
-- The dlq-archive consumer copies every payment.dlq message here, so operators
-- list and replay dead letters the same way on every bus adapter.

CREATE TABLE dlq_message (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  dlq_id              TEXT NOT NULL,
  consumer_group      TEXT NULL,
  original_topic      TEXT NOT NULL,
  original_partition  INTEGER NOT NULL,
  original_offset     TEXT NOT NULL,
  message_key         TEXT NOT NULL,
  headers             TEXT NOT NULL,
  payload             TEXT NOT NULL,
  error_type          TEXT NOT NULL,
  error_message       TEXT NOT NULL,
  failed_at           INTEGER NOT NULL,
  archived_at         INTEGER NOT NULL,
  replay_count        INTEGER NOT NULL DEFAULT 0,
  last_replayed_at    INTEGER NULL
) STRICT;
CREATE UNIQUE INDEX uq_dlq_message_dlq_id ON dlq_message (dlq_id);
CREATE INDEX ix_dlq_message_topic ON dlq_message (original_topic, failed_at);
CREATE INDEX ix_dlq_message_failed ON dlq_message (failed_at);

CREATE TABLE dlq_replay (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  dlq_message_id  INTEGER NOT NULL,
  original_topic  TEXT NOT NULL,
  replayed_by     TEXT NOT NULL,
  replayed_at     INTEGER NOT NULL,
  CONSTRAINT fk_dlq_replay_message FOREIGN KEY (dlq_message_id) REFERENCES dlq_message (id)
) STRICT;
CREATE INDEX ix_dlq_replay_message ON dlq_replay (dlq_message_id);
