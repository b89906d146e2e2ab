-- 0003: read models keyed by entity instead of by stream, with checkpoints for as-of queries.
-- Everything here is a cache of the log: `fleetledger rebuild` recreates it, `verify` checks it.

-- 0002's per-stream read models and snapshots give way to the tables below. Emptying the
-- checkpoints makes the first open after this migration fold the whole log into them.
DROP TABLE projections;
DROP TABLE projection_snapshots;
DELETE FROM projection_checkpoints;

-- The current state of each entity (named by a stream key, `sessionhost/hp/sh-1`), as the
-- projector's JSON, and the position of the last event folded into it.
CREATE TABLE entity_states (
    projector TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    state     TEXT    NOT NULL,
    PRIMARY KEY (projector, entity)
) STRICT, WITHOUT ROWID;

-- Every 131,072 events, the state of each entity folded since the previous checkpoint, as of that
-- position. An entity's state as of checkpoint S is its row with the greatest checkpoint <= S.
CREATE TABLE checkpoint_states (
    projector  TEXT    NOT NULL,
    entity     TEXT    NOT NULL,
    checkpoint INTEGER NOT NULL,      -- a seq, a multiple of 131,072
    state      TEXT    NOT NULL,
    PRIMARY KEY (projector, entity, checkpoint)
) STRICT, WITHOUT ROWID;

-- The earliest and latest `at` of each block of 4,096 positions of the log (segment n covers
-- seq 4096n+1 to 4096(n+1)). Time order holds per stream only, so an as-of query finds here
-- where the events at or before its time end and which checkpoint it may start from.
CREATE TABLE log_segments (
    segment INTEGER PRIMARY KEY,
    min_at  INTEGER NOT NULL,
    max_at  INTEGER NOT NULL
) STRICT;
