-- Observations imported from Azure's REST responses: the state Azure derived, kept apart from
-- the raw events the store derives its own state from.
INSERT INTO event_types (code, name) VALUES
    (13, 'SessionHostObserved'),
    (23, 'SessionHostUpdateStatusObserved'),
    (39, 'BackendHealthObserved'),
    (46, 'ScaleSetObserved'),
    (47, 'ScaleSetInstanceHealthObserved');
