-- When the replica delivering an outbox message claimed it; NULL once the
-- outcome is recorded (sent, failed, or given back). Only PostgreSQL sets
-- it (several replicas, see store/outbox.go); on SQLite, where one process
-- delivers, it stays NULL and copies of a PostgreSQL outbox carry it over.
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
