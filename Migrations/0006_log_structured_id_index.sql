-- 0006: the producers' ids move from one big table, into which every 65,536 new ids were merged
-- (rewriting most of its pages each time, a cost that grew with the log), to sorted runs that
-- are written once and merged level by level, each with a Bloom filter (see EventIDIndex).
-- `recent_event_ids` stays as it was: the ids not yet in a run.
CREATE TABLE event_id_runs (
    run    INTEGER PRIMARY KEY,   -- a new run always gets a larger number than any run before it
    level  INTEGER NOT NULL,      -- 0 for a run made of recent ids; 8 runs of a level merge into one of the next
    ids    INTEGER NOT NULL,      -- how many ids the run holds
    filter BLOB                   -- the run's Bloom filter; NULL until the store builds it (the run made here)
) STRICT;

CREATE TABLE event_id_run_entries (
    run      INTEGER NOT NULL,
    event_id BLOB    NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (run, event_id)
) STRICT, WITHOUT ROWID;

-- The ids merged so far become run 1; the store gives it its level and filter when it next writes.
INSERT INTO event_id_runs (run, level, ids) SELECT 1, 0, count(*) FROM event_ids HAVING count(*) > 0;
INSERT INTO event_id_run_entries (run, event_id, seq) SELECT 1, event_id, seq FROM event_ids ORDER BY event_id;

DROP TRIGGER event_ids_are_append_only_update;
DROP TRIGGER event_ids_are_append_only_delete;
DROP TABLE event_ids;
