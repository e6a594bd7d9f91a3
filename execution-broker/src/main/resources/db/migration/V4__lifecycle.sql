-- Driving accepted executions: when the next time-driven transition is due, the preparation
-- steps and their tasks, the session, the transactional outbox, and the history of phases.
ALTER TABLE execution ADD COLUMN due_at timestamptz;
ALTER TABLE execution ADD COLUMN late_policy text;
ALTER TABLE execution ADD COLUMN late boolean NOT NULL DEFAULT false;
ALTER TABLE execution ADD COLUMN session_id text;
ALTER TABLE execution ADD COLUMN session_kind text;
ALTER TABLE execution ADD COLUMN connect_url text;
ALTER TABLE execution ADD COLUMN started_at timestamptz;
ALTER TABLE execution ADD COLUMN finished_at timestamptz;
ALTER TABLE execution ADD COLUMN lamport bigint NOT NULL DEFAULT 0;

CREATE INDEX execution_due ON execution (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX execution_session ON execution (session_id) WHERE session_id IS NOT NULL;

-- One row per task the broker sends: its id is the command's Nats-Msg-Id and the subject of its reports.
CREATE TABLE execution_step (
    task_id         text        PRIMARY KEY,
    execution_id    uuid        NOT NULL REFERENCES execution (id),
    kind            text        NOT NULL CHECK (kind IN ('folder', 'stage', 'launch', 'delete')),
    name            text,
    state           text        NOT NULL CHECK (state IN ('CREATED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    cost_s          bigint      NOT NULL DEFAULT 0,
    sequence        bigint      NOT NULL DEFAULT 0,   -- the last report applied
    lamport         bigint      NOT NULL DEFAULT 0,
    progress_done   bigint,
    progress_total  bigint,
    reason          text,
    result          text,                             -- JSON of the COMPLETED report's result
    dispatched_at   timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX execution_step_execution ON execution_step (execution_id);

-- Messages written in the same transaction as the state that needs them, published after commit
-- (and again after a crash: JetStream drops a duplicate Nats-Msg-Id).
CREATE TABLE outbox (
    id            bigserial   PRIMARY KEY,
    message_id    text        NOT NULL UNIQUE,
    subject       text        NOT NULL,
    body          bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    published_at  timestamptz
);

CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;

-- Every phase an execution passed through, for the events stream of GET /executions/{id}/events.
CREATE TABLE execution_history (
    id            bigserial   PRIMARY KEY,
    execution_id  uuid        NOT NULL REFERENCES execution (id),
    phase         text        NOT NULL,
    previous      text,
    reason        text,
    at            timestamptz NOT NULL,
    lamport       bigint      NOT NULL
);

CREATE INDEX execution_history_execution ON execution_history (execution_id, id);

-- The session to run (kind, image, command), fixed when the offer was made.
ALTER TABLE execution ADD COLUMN session text;
