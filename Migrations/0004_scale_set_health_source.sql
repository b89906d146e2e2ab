-- 0004: a scale set's health source: a load balancer probe instead of the Application Health
-- extension, or none. Two event types on the scale set's stream.
INSERT INTO event_types (code, name) VALUES
    (44, 'ScaleSetHealthProbeConfigured'),
    (45, 'ScaleSetHealthSourceRemoved');
