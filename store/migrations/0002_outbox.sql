-- Messages written with the change they announce, delivered from here.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    dest       TEXT NOT NULL,             -- ordering key: "channel:#fin" or "dm:U123"
    card_for   TEXT NOT NULL DEFAULT '',  -- request ID when this is its card
    message    TEXT NOT NULL,             -- JSON of bot.Message
    rev        INTEGER NOT NULL DEFAULT 0,-- bumped when a card change is folded in
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,          -- not before (retry backoff)
    last_error TEXT NOT NULL DEFAULT '',
    sent_at    INTEGER,                   -- delivered
    dead_at    INTEGER                    -- given up (permanent error)
) STRICT;

-- The head of each destination's queue, and folding card updates.
CREATE INDEX outbox_pending ON outbox (dest, id) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_pending_card ON outbox (card_for, dest) WHERE sent_at IS NULL AND dead_at IS NULL AND card_for != '';
