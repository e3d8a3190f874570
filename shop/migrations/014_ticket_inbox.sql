-- The staff inbox (issue 17): who has claimed a ticket, the conversation it came from, and the messages on it.
-- The status stays 'open' | 'resolved'; an open ticket with an assignee is shown as "assigned" (shop/tickets.py).
ALTER TABLE tickets ADD COLUMN assignee VARCHAR;      -- the staff login that claimed it (NULL: unclaimed)
ALTER TABLE tickets ADD COLUMN assigned_at TIMESTAMP;
ALTER TABLE tickets ADD COLUMN thread_id VARCHAR;     -- the shopper's conversation (agent memory thread)
ALTER TABLE tickets ADD COLUMN transcript VARCHAR;    -- the turns before the handoff, plain text, staff only
ALTER TABLE tickets ADD COLUMN updated_at TIMESTAMP;

CREATE SEQUENCE ticket_message_seq;
CREATE TABLE ticket_messages (
    message_id  BIGINT PRIMARY KEY DEFAULT nextval('ticket_message_seq'),
    ticket_id   VARCHAR NOT NULL,
    author_role VARCHAR NOT NULL,                     -- staff | shopper
    author_id   VARCHAR,                              -- the staff login or the customer id
    body        VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id);
