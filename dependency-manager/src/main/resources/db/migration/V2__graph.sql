-- The artefact graph: every file the dependency manager knows, and what each derived one is built
-- from. Loaded whole at start-up, then written incrementally as files change and builds finish.
CREATE TABLE artefact (
    id            text        PRIMARY KEY,
    root          text        NOT NULL,
    path          text        NOT NULL,
    sha256        text,
    state         text        NOT NULL,
    builder       text,
    recipe        text,
    rule          text,
    stale_version bigint      NOT NULL DEFAULT 0,
    last_build_id text,
    last_task_id  text,
    last_log      text,
    failure       text,
    updated_at    timestamptz NOT NULL,
    UNIQUE (root, path)
);

-- Edges "artefact_id is built from input_id", in the rule's input order.
CREATE TABLE artefact_input (
    artefact_id text NOT NULL REFERENCES artefact (id) ON DELETE CASCADE,
    position    int  NOT NULL,
    input_id    text NOT NULL REFERENCES artefact (id),
    PRIMARY KEY (artefact_id, position)
);
CREATE INDEX artefact_input_by_input ON artefact_input (input_id);

-- Builds, with their final report (steps and failures) once they end.
CREATE TABLE build (
    id          text        PRIMARY KEY,
    target      text,
    trigger     text        NOT NULL,
    state       text        NOT NULL,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz,
    report      jsonb
);
CREATE INDEX build_by_created ON build (created_at DESC);
