-- 0002: read models. Each projector folds the log into one state per stream (entity).
-- Everything here is a cache of the log: `fleetledger rebuild` recreates it, `verify` checks it.

-- The current state of each entity, as the projector's JSON, after the stream's `version`.
CREATE TABLE projections (
    projector TEXT    NOT NULL,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    version   INTEGER NOT NULL,
    state     TEXT    NOT NULL,
    PRIMARY KEY (projector, stream_id)
) STRICT, WITHOUT ROWID;

-- The state of an entity at every 256th version of its stream, so an as-of query folds at most
-- 255 events per entity from the nearest snapshot instead of the stream's whole history.
CREATE TABLE projection_snapshots (
    projector TEXT    NOT NULL,
    stream_id INTEGER NOT NULL REFERENCES streams (id),
    version   INTEGER NOT NULL,
    at        INTEGER NOT NULL,       -- the `at` of the event at `version`
    state     TEXT    NOT NULL,
    PRIMARY KEY (projector, stream_id, version)
) STRICT, WITHOUT ROWID;

-- The last `seq` each projector has folded.
CREATE TABLE projection_checkpoints (
    projector TEXT    PRIMARY KEY,
    seq       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
