-- The taskId a REST caller gave for a transfer (for idempotent retries). The row's own task_id is
-- chosen by the service in a namespace of its own ("rest-" + a digest of user and taskId), so a
-- REST caller can never take a broker task's id or another caller's.
ALTER TABLE staging_task ADD COLUMN client_task_id text;
