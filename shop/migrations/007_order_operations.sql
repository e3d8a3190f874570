-- Order operations with τ-bench semantics (issue 15): what a cancellation, return or exchange recorded on the
-- order, the fulfilments as the source gave them, the order's currency, and the shop's policy profile (in meta,
-- key 'policy_profile': demo | tau; see shop/policy.py).
ALTER TABLE orders ADD COLUMN cancel_reason VARCHAR;                -- no longer needed | ordered by mistake
ALTER TABLE orders ADD COLUMN return_payment_method_id VARCHAR;     -- where a requested return is refunded
ALTER TABLE orders ADD COLUMN exchange_payment_method_id VARCHAR;   -- pays / receives an exchange's difference
ALTER TABLE orders ADD COLUMN exchange_price_difference DOUBLE;     -- new minus old prices (negative: refunded)
ALTER TABLE orders ADD COLUMN fulfillments JSON;                    -- [{"tracking_id": [...], "item_ids": [...]}]
ALTER TABLE orders ADD COLUMN currency VARCHAR;                     -- USD (tau) | GBP (Online Retail); NULL: the policy's
