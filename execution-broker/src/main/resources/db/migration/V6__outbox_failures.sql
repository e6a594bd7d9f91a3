-- An outbox row that can never be published (too large for the server, refused by it) is moved
-- aside instead of blocking every later row: it keeps its body, says why, and names the execution
-- it belonged to, which is failed with that reason.
ALTER TABLE outbox ADD COLUMN execution_id uuid;
ALTER TABLE outbox ADD COLUMN failed_at timestamptz;
ALTER TABLE outbox ADD COLUMN failure text;

DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL AND failed_at IS NULL;
