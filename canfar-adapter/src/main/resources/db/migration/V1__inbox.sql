-- Messages this service has already acted on, so that a redelivered command or event is
-- recognised and not applied twice (JetStream delivers at least once).
CREATE TABLE inbox (
    consumer    text        NOT NULL,
    message_id  text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
