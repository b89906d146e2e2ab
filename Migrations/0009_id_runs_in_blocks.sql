-- 0009: a run of the id index is stored in blocks of up to 128 ids, one row per block, instead of
-- one row per id. Writing a run was a SQLite insert per id (about 9,000 instructions each, most
-- of the cost of the index); a block is one insert per 128 ids, and a lookup (for the ~1% of new
-- ids a filter lets through) is one seek to the block that can hold the id, then a binary search
-- in it. The runs' filters, levels and counts stay in `event_id_runs`.
-- The ids of runs written before this migration stay in `event_id_run_entries` until the store
-- next appends, which moves them into blocks (see EventIDIndex); until then readers use both.
CREATE TABLE event_id_blocks (
    run      INTEGER NOT NULL,
    first_id BLOB    NOT NULL,  -- the block's smallest id
    entries  BLOB    NOT NULL,  -- its ids in order, 16 bytes each, then their seqs in the same order, 8 bytes each, big-endian
    PRIMARY KEY (run, first_id)
) STRICT, WITHOUT ROWID;
