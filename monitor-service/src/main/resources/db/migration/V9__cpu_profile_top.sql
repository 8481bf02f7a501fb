-- A CPU profile's top functions (JSON: function, flat and cum share of the profile's CPU), so the
-- console shows where the CPU went without parsing the profile on every page view.
ALTER TABLE profiles ADD COLUMN top TEXT;
