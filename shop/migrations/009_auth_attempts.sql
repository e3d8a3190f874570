-- Failed shopper verifications per account (tools.customers.verify_identity): the per-account attempt limit
-- counts these within Settings.auth_lock_minutes, across conversations and restarts.
CREATE TABLE IF NOT EXISTS auth_failures (
    customer_id VARCHAR NOT NULL,
    failed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX IF NOT EXISTS auth_failures_customer ON auth_failures (customer_id);
