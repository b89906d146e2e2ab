-- 0007: the index that finds a stream's events leads with the log chunk (65,536 consecutive
-- positions) instead of the stream. Appends interleave thousands of streams, so an index led by
-- the stream had every commit rewrite the last page of nearly every stream (4,640 pages of
-- 16 KiB per 10,000-line commit at 10M events), a cost that grew with the log. Led by the
-- chunk, a commit writes only the few pages of the chunk being filled. A stream's events are
-- found by one seek per chunk (see StreamIndex). Within a chunk a stream's entries are in `seq`
-- order (SQLite ends every index entry with the rowid), which is version order: the version
-- need not be in the index.
--
-- The old index was UNIQUE on (stream_id, version); versions are given by the appender from the
-- stream's head in the same transaction, and `verify` checks every stream's versions run 1, 2, 3.
DROP INDEX events_by_stream;
CREATE INDEX events_by_chunk_and_stream ON events (seq >> 16, stream_id);
