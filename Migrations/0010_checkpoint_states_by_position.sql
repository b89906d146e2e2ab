-- 0010: checkpoint states stored in checkpoint order, found by entity through an index.
--
-- Keyed by (projector, entity, checkpoint), each checkpoint's rows (every entity changed since the
-- one before) were written beside each entity's older rows, all over a table that grows with the
-- log: once it outgrew the page cache, every checkpoint read and rewrote about one page per
-- entity, and the multi-row insert journalled each (measured: appending 500,000 events to a store
-- of 8.5M read 390 MiB from the database and wrote 127 MiB of statement journal, against 35 and
-- 23 MiB at 1M). Keyed by checkpoint first, a checkpoint's rows are appended together at the end
-- of the table; the index keeps "this entity's latest state at or before checkpoint S" one seek,
-- in an index about a sixth the size of the rows (at 8.5M events: 8 MiB against 46 MiB).
CREATE TABLE checkpoint_states_by_position (
    checkpoint INTEGER NOT NULL,      -- a seq, a multiple of the checkpoint interval
    projector  TEXT    NOT NULL,
    entity     TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (checkpoint, projector, entity)
) STRICT, WITHOUT ROWID;

INSERT INTO checkpoint_states_by_position (checkpoint, projector, entity, state)
    SELECT checkpoint, projector, entity, state FROM checkpoint_states ORDER BY checkpoint, projector, entity;
DROP TABLE checkpoint_states;
ALTER TABLE checkpoint_states_by_position RENAME TO checkpoint_states;

CREATE INDEX checkpoint_states_by_entity ON checkpoint_states (projector, entity, checkpoint);
