-- Compute pools and their capacity schedules (advance reservations, the "Arbiter" part).
-- The schedule is kept in the compact form {start_time,end_time,capacity} {...}: it is always
-- read and replaced whole, and stays readable in psql.
CREATE TABLE pool (
    name        text        PRIMARY KEY,
    schedule    text        NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- A reservation holds amount cores of a pool over [start_time, end_time). HELD ones (an offer's)
-- lapse at expires_at even before the sweep marks them RELEASED; FIRM ones hold until released.
CREATE TABLE reservation (
    id          uuid        PRIMARY KEY,
    pool        text        NOT NULL REFERENCES pool (name),
    owner       text        NOT NULL,
    start_time  bigint      NOT NULL,
    end_time    bigint      NOT NULL CHECK (end_time > start_time),
    amount      integer     NOT NULL CHECK (amount > 0),
    state       text        NOT NULL CHECK (state IN ('HELD', 'FIRM', 'RELEASED')),
    purpose     text        NOT NULL CHECK (purpose IN ('manual', 'offer', 'execution')),
    expires_at  timestamptz,
    created_at  timestamptz NOT NULL,
    released_at timestamptz
);

CREATE INDEX reservation_active ON reservation (pool, end_time) WHERE state <> 'RELEASED';
CREATE INDEX reservation_owner ON reservation (owner, created_at);
