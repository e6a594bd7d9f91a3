-- Every staging task this service was asked to do, keyed by the requester's task id so that a
-- redelivered command is recognised. A running task is leased by one service instance; when its
-- lease runs out (the instance died), another instance takes it over and resumes it.
CREATE TABLE staging_task (
    task_id         text        PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('directory', 'transfer')),
    user_name       text        NOT NULL,
    execution_id    text        NOT NULL,
    item_name       text,
    item_url        text,
    expected_size   bigint,
    expected_md5    text,
    target_path     text        NOT NULL,
    correlation_id  text,
    state           text        NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    sequence        bigint      NOT NULL DEFAULT 0,
    bytes_done      bigint      NOT NULL DEFAULT 0,
    bytes_total     bigint,
    result_size     bigint,
    result_md5      text,
    result_sha256   text,
    transferred     boolean,
    reason          text,
    final_published boolean     NOT NULL DEFAULT false,
    owner           text,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX staging_task_running ON staging_task (lease_until) WHERE state = 'RUNNING';
CREATE INDEX staging_task_unpublished ON staging_task (updated_at) WHERE state <> 'RUNNING' AND NOT final_published;

-- A moving average of the delivery rate of each source host, for quotes.
CREATE TABLE transfer_rate (
    host              text             PRIMARY KEY,
    bytes_per_second  double precision NOT NULL,
    samples           integer          NOT NULL,
    updated_at        timestamptz      NOT NULL
);
