-- 0008: smaller log rows. Every event of one transaction shares its `recorded_at`, and the chain's
-- full 32-byte hashes are needed only where the chain is continued or anchored, so each committed
-- transaction now gets one row here, and the events it appends store:
--   recorded_at = 0 (no bytes in SQLite's record format): the time is in the commit's row;
--   hash = the first 8 bytes of the event's chain hash, enough for `verify` to name the event
--   whose content no longer matches. The chain itself is still computed over the full hashes, and
--   the full hash of each commit's last event is kept here: rewriting any event means rewriting
--   every hash after it, up to and including these.
-- Events appended before this migration keep their time and full hash; readers accept both forms.
CREATE TABLE commits (
    last_seq    INTEGER PRIMARY KEY,  -- the last event the transaction appended
    recorded_at INTEGER NOT NULL,     -- its events' recordedAt, nanoseconds since the epoch
    head_hash   BLOB    NOT NULL      -- the full chain hash of event last_seq
) STRICT;

CREATE TRIGGER commits_are_append_only_update BEFORE UPDATE ON commits
BEGIN
    SELECT RAISE(ABORT, 'commits is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER commits_are_append_only_delete BEFORE DELETE ON commits
BEGIN
    SELECT RAISE(ABORT, 'commits is append-only: DELETE is not allowed');
END;
