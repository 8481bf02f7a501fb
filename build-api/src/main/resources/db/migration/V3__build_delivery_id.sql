-- the forge delivery that created the build (later redeliveries map to it through deliveries)
alter table builds add column delivery_id text;
