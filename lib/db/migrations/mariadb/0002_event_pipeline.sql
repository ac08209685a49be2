-- Event pipeline (DESIGN §6): the dead-letter archive and the record of replays.
-- The dlq-archive consumer copies every payment.dlq message here, so operators
-- list and replay dead letters the same way on every bus adapter.

CREATE TABLE dlq_message (
  id                  BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dlq_id              VARCHAR(64) CHARACTER SET ascii NOT NULL,
  consumer_group      VARCHAR(64) CHARACTER SET ascii NULL,
  original_topic      VARCHAR(200) CHARACTER SET ascii NOT NULL,
  original_partition  INT NOT NULL,
  original_offset     VARCHAR(64) CHARACTER SET ascii NOT NULL,
  message_key         VARCHAR(200) NOT NULL,
  headers             TEXT NOT NULL,
  payload             MEDIUMTEXT NOT NULL,
  error_type          VARCHAR(100) NOT NULL,
  error_message       VARCHAR(1000) NOT NULL,
  failed_at           DATETIME(3) NOT NULL,
  archived_at         DATETIME(3) NOT NULL,
  replay_count        INT NOT NULL DEFAULT 0,
  last_replayed_at    DATETIME(3) NULL,
  UNIQUE KEY uq_dlq_message_dlq_id (dlq_id),
  KEY ix_dlq_message_topic (original_topic, failed_at),
  KEY ix_dlq_message_failed (failed_at)
) ENGINE=InnoDB;

CREATE TABLE dlq_replay (
  id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dlq_message_id  BIGINT NOT NULL,
  original_topic  VARCHAR(200) CHARACTER SET ascii NOT NULL,
  replayed_by     VARCHAR(100) NOT NULL,
  replayed_at     DATETIME(3) NOT NULL,
  KEY ix_dlq_replay_message (dlq_message_id),
  CONSTRAINT fk_dlq_replay_message FOREIGN KEY (dlq_message_id) REFERENCES dlq_message (id)
) ENGINE=InnoDB;
