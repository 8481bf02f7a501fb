-- the history records step advances too (5 -> 25 -> 50 ...), not only phase changes: a row with
-- the step and its weight; from_phase = to_phase when the phase stayed
alter table rollout_transitions add column step integer;
alter table rollout_transitions add column weight integer;
