-- 0005: a session host update's id is made from its pool and the schedule's `at`, no longer from
-- the schedule's position in the log, so that an as-of answer equals the answer of a store holding
-- only the earlier events. Forgetting the projector's checkpoint makes the store rebuild its read
-- models (and checkpoints) from the log when it is next opened.
DELETE FROM projection_checkpoints WHERE projector = 'session-host-updates';
