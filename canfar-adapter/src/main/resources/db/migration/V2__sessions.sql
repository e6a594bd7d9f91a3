-- Sessions this adapter launched (or refused), the truth a restarted adapter resumes from.
CREATE TABLE canfar_session (
    id                   text        PRIMARY KEY,           -- our session id (a NATS subject token)
    task_id              text        NOT NULL UNIQUE,       -- the launch task: one session per task
    execution_id         text        NOT NULL,
    correlation_id       text,
    owner                text        NOT NULL,
    name                 text        NOT NULL,
    image                text        NOT NULL,
    kind                 text        NOT NULL,
    cores                integer     NOT NULL,
    ram_gb               integer     NOT NULL,
    cmd                  text,
    args_json            text        NOT NULL DEFAULT '[]',
    env_names            text        NOT NULL DEFAULT '',   -- names only: values may be secrets
    workdir              text,
    until_time           timestamptz,
    backend              text        NOT NULL,              -- local | skaha
    platform_id          text,                              -- the platform's id once launched
    launch_state         text        NOT NULL,              -- LAUNCHING | LAUNCHED | REFUSED
    status               text        NOT NULL,              -- SessionStatus
    reported_status      text,                              -- last status published on events.session.<id>
    start_time           timestamptz,
    connect_url          text,
    exit_status          integer,
    message              text,
    expiry_time          timestamptz,
    created_at           timestamptz NOT NULL,
    launched_at          timestamptz,
    running_at           timestamptz,
    ended_at             timestamptz,
    delete_requested_at  timestamptz,
    terminate_sent_at    timestamptz,
    kill_at              timestamptz,
    next_poll_at         timestamptz,                       -- null: nothing left to watch
    poll_interval_ms     bigint,
    version              bigint      NOT NULL DEFAULT 0
);

CREATE INDEX canfar_session_due ON canfar_session (next_poll_at) WHERE next_poll_at IS NOT NULL;
CREATE INDEX canfar_session_owner ON canfar_session (owner, created_at DESC);

-- Delete tasks, each answered once its session has ended.
CREATE TABLE canfar_delete_task (
    task_id         text        PRIMARY KEY,
    session_id      text        NOT NULL,
    correlation_id  text,
    requested_at    timestamptz NOT NULL,
    reported        boolean     NOT NULL DEFAULT false
);

CREATE INDEX canfar_delete_task_open ON canfar_delete_task (session_id) WHERE NOT reported;

-- Observed start-up times, a moving average per backend and image, for quote.canfar.
CREATE TABLE canfar_startup_estimate (
    backend     text        NOT NULL,
    image       text        NOT NULL,
    mean_ms     bigint      NOT NULL,
    samples     integer     NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (backend, image)
);
