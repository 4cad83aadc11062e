-- Old delivery records are pruned daily; these indexes keep that cheap.
CREATE INDEX slack_seen_at ON slack_seen (at);
CREATE INDEX outbox_done ON outbox (sent_at) WHERE sent_at IS NOT NULL;
