-- PostgreSQL's copy of migrations/0011_claimed.sql: when the replica
-- delivering an outbox message claimed it, NULL once the outcome is
-- recorded. A claim that finds it set knows the previous claimant ended
-- without recording one: the message may already be in Slack.
ALTER TABLE outbox ADD COLUMN claimed_at BIGINT;
