-- The PostgreSQL store's log, heads and read models: the same contract as the SQLite store's
-- migrations 0001-0011 reach, in PostgreSQL's own terms. Each statement ends with ";" at a line's end.

-- Stream keys compare byte by byte, as SQLite compares them, so key ranges ("sessionhost/hp/")
-- select the same streams on both engines.
CREATE TABLE streams (
    id      bigint PRIMARY KEY,
    key     text   COLLATE "C" NOT NULL UNIQUE,
    version bigint NOT NULL,
    last_at bigint NOT NULL
);

-- One row per event. `type` is the event type's code, `at` and `recorded_at` nanoseconds since
-- 1970, `event_id` the producer's 16-byte UUID, `data` the payload in the store's compact form,
-- `hash` the full 32-byte link of the chain.
CREATE TABLE events (
    seq         bigint  PRIMARY KEY,
    stream_id   bigint  NOT NULL REFERENCES streams (id),
    version     bigint  NOT NULL,
    type        integer NOT NULL,
    at          bigint  NOT NULL,
    recorded_at bigint  NOT NULL,
    event_id    bytea   UNIQUE,
    data        bytea   NOT NULL,
    hash        bytea   NOT NULL,
    UNIQUE (stream_id, version)
);

-- The chain's head: one row that every writer locks (SELECT ... FOR UPDATE) for its whole batch,
-- so batches commit one after another and each takes the next positions: seq is gap-free in
-- commit order, and the chain has one head.
CREATE TABLE log_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint NOT NULL,
    hash     bytea  NOT NULL
);
INSERT INTO log_head (seq, hash) VALUES (0, decode(repeat('00', 32), 'hex'));

-- The read models: each projector's entity states, and the last position each has folded.
CREATE TABLE entity_states (
    projector text   NOT NULL,
    entity    text   COLLATE "C" NOT NULL,
    seq       bigint NOT NULL,
    state     text   NOT NULL,
    PRIMARY KEY (projector, entity)
);
CREATE TABLE projection_checkpoints (
    projector text   PRIMARY KEY,
    seq       bigint NOT NULL
);

-- The log is append-only: changing or removing an event is refused by the server itself.
CREATE FUNCTION fleetledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the FleetLedger log is append-only: % on % refused', TG_OP, TG_TABLE_NAME; END $$;
CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION fleetledger_refuse_change();
CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION fleetledger_refuse_change();
