-- PostgreSQL's copy of migrations/0007_prune.sql.
CREATE INDEX slack_seen_at ON slack_seen (at);
CREATE INDEX outbox_done ON outbox (sent_at) WHERE sent_at IS NOT NULL;
