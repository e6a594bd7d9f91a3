-- An offer set answers one request; each of its offers is an execution in phase OFFERED that
-- holds a provisional (HELD) reservation until it expires. Accepting one makes its reservation
-- FIRM and rejects its siblings.
CREATE TABLE offer_set (
    id          uuid        PRIMARY KEY,
    owner       text        NOT NULL,
    name        text,
    request     text        NOT NULL,   -- the request as received (JSON)
    result      text        NOT NULL CHECK (result IN ('YES', 'NO')),
    reasons     text        NOT NULL,   -- JSON array of strings
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

CREATE INDEX offer_set_owner ON offer_set (owner, created_at);

CREATE TABLE execution (
    id              uuid        PRIMARY KEY,
    offer_set_id    uuid        NOT NULL REFERENCES offer_set (id),
    owner           text        NOT NULL,
    name            text,
    phase           text        NOT NULL,
    pool            text        NOT NULL REFERENCES pool (name),
    reservation_id  uuid        REFERENCES reservation (id),
    cores           integer     NOT NULL,
    memory          integer     NOT NULL,
    prep_start      timestamptz NOT NULL,
    start_at        timestamptz NOT NULL,
    duration_s      bigint      NOT NULL,
    prep_cost_s     bigint      NOT NULL,
    steps           text        NOT NULL,   -- JSON: the planned preparation steps and their quoted costs
    expires_at      timestamptz,
    reason          text,
    version         bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX execution_owner_phase ON execution (owner, phase, created_at);
CREATE INDEX execution_offer_set ON execution (offer_set_id);
CREATE INDEX execution_offers_expiring ON execution (expires_at) WHERE phase = 'OFFERED';
