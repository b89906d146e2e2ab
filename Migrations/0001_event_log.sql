-- 0001: the append-only event log.
-- Shipped migrations are never edited: a change to the schema is a new numbered file.

-- Event type names, stored in the log as small integers to keep rows compact.
CREATE TABLE event_types (
    code INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

INSERT INTO event_types (code, name) VALUES
    (1, 'HostPoolConfigured'),
    (2, 'SessionHostRegistered'),
    (3, 'SessionHostRemoved'),
    (4, 'HealthCheckCompleted'),
    (5, 'AgentHeartbeatReceived'),
    (6, 'PowerStateChanged'),
    (7, 'AgentUpgradeStarted'),
    (8, 'AgentUpgradeCompleted'),
    (9, 'AgentUpgradeFailed'),
    (10, 'DrainModeChanged'),
    (11, 'UserSessionStarted'),
    (12, 'UserSessionEnded'),
    (20, 'SessionHostUpdateScheduled'),
    (21, 'SessionHostUpdateControlled'),
    (22, 'SessionHostUpdateStepRecorded'),
    (30, 'LoadBalancerConfigured'),
    (31, 'HealthProbeConfigured'),
    (32, 'LoadBalancingRuleConfigured'),
    (33, 'BackendAddressAdded'),
    (34, 'BackendAddressRemoved'),
    (35, 'BackendAdminStateChanged'),
    (36, 'BackendPowerStateChanged'),
    (37, 'ProbeResultRecorded'),
    (38, 'PlatformHealthReported'),
    (40, 'ApplicationHealthExtensionConfigured'),
    (41, 'ScaleSetInstanceCreated'),
    (42, 'ScaleSetInstanceDeleted'),
    (43, 'ApplicationHealthProbed');

-- One row per entity: its text key appears once here, and events refer to it by integer id.
-- `version` and `last_at` are the stream's head, kept so an append checks order without a lookup.
CREATE TABLE streams (
    id      INTEGER PRIMARY KEY,
    key     TEXT    NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    last_at INTEGER NOT NULL          -- nanoseconds since 1970-01-01T00:00:00Z
) STRICT;

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,  -- global position, gap-free from 1
    stream_id   INTEGER NOT NULL REFERENCES streams (id),
    version     INTEGER NOT NULL,     -- 1-based within the stream
    type        INTEGER NOT NULL REFERENCES event_types (code),
    at          INTEGER NOT NULL,     -- when it happened, nanoseconds since the epoch, UTC
    recorded_at INTEGER NOT NULL,     -- when the store appended it, nanoseconds since the epoch
    event_id    BLOB,                 -- the producer's UUID (16 bytes), for idempotent retries
    data        BLOB    NOT NULL,     -- the event's data in the compact form of PayloadCodec
    hash        BLOB    NOT NULL      -- SHA-256 over the previous event's hash and this event
) STRICT;

CREATE UNIQUE INDEX events_by_stream ON events (stream_id, version);

-- Producers' ids, for idempotent retries, in two levels. Ids are random, so one big index would
-- have most of its pages rewritten by every commit; instead new ids go to a small table whose few
-- pages stay hot, and are merged in key order into the big one every 65,536 ids, writing each of
-- its pages once per merge. An id is stored when it is in either table.
CREATE TABLE event_ids (
    event_id BLOB    PRIMARY KEY,
    seq      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE recent_event_ids (
    event_id BLOB    PRIMARY KEY,
    seq      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The log is append-only, enforced by SQLite itself and not only by the application.
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: UPDATE on events is not allowed');
END;

CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: DELETE on events is not allowed');
END;

-- Merged ids stay merged.
CREATE TRIGGER event_ids_are_append_only_update BEFORE UPDATE ON event_ids
BEGIN
    SELECT RAISE(ABORT, 'event_ids is append-only: UPDATE is not allowed');
END;

CREATE TRIGGER event_ids_are_append_only_delete BEFORE DELETE ON event_ids
BEGIN
    SELECT RAISE(ABORT, 'event_ids is append-only: DELETE is not allowed');
END;
