-- Confirmed writes run once: each pending action carries an idempotency key, claimed inside the write's own
-- transaction, so a second "yes" (another tab, a retry, a race) finds the first result instead of writing again.
CREATE TABLE write_actions (
    action_key VARCHAR PRIMARY KEY,
    tool       VARCHAR NOT NULL,
    actor_role VARCHAR NOT NULL,
    actor_id   VARCHAR,
    target     VARCHAR,
    result     JSON,
    done_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Ticket numbers from a sequence: concurrent handoffs never share one (count(*) + 1 did).
CREATE SEQUENCE ticket_seq;
