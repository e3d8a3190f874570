-- Win-back campaigns (retention/campaigns): the campaign, its audience, the experiment's arms, the drafts and
-- their validation, what was exported (sends), and the outcomes measured afterwards. Every state change is also
-- written to audit_log by retention/campaigns/store.py.
CREATE TABLE campaigns (
    campaign_id VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,                   -- planned | drafted | approved | exported | analyzed
    spec        JSON NOT NULL,                      -- audience filters, channels, variants, holdout share, seed
    funnel      JSON,                               -- [{"step": ..., "count": ...}] counts after each filter
    as_of       DATE NOT NULL,                      -- the shop's today when planned
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at  TIMESTAMP
);

CREATE TABLE campaign_audience (
    campaign_id       VARCHAR NOT NULL,
    customer_id       VARCHAR NOT NULL,
    churn_probability DOUBLE,
    risk_band         VARCHAR,
    segment           VARCHAR,
    clv_12m           DOUBLE,
    top_tier          BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (campaign_id, customer_id)
);

CREATE TABLE campaign_assignments (
    campaign_id VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    arm         VARCHAR NOT NULL,                   -- 'control' (holdout) or a variant name (A, B, ...)
    stratum     VARCHAR NOT NULL,                   -- the risk band it was stratified on
    offer       JSON,                               -- NULL for the holdout
    PRIMARY KEY (campaign_id, customer_id)
);

CREATE TABLE campaign_drafts (
    campaign_id VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    channel     VARCHAR NOT NULL,                   -- email | sms | push
    arm         VARCHAR NOT NULL,
    language    VARCHAR NOT NULL,
    subject     VARCHAR,                            -- email subject / push title
    preheader   VARCHAR,
    body        VARCHAR NOT NULL,
    draft       JSON NOT NULL,                      -- the full Draft (offer, products, sender, unsubscribe url)
    status      VARCHAR NOT NULL,                   -- valid | flagged | approved
    issues      JSON,                               -- validator findings of the last attempt
    attempts    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (campaign_id, customer_id, channel)
);

CREATE TABLE campaign_sends (
    campaign_id VARCHAR NOT NULL,
    customer_id VARCHAR NOT NULL,
    channel     VARCHAR NOT NULL,
    arm         VARCHAR NOT NULL,
    sent_at     TIMESTAMP NOT NULL,                 -- shop clock; feeds the contact frequency cap
    export_path VARCHAR,
    PRIMARY KEY (campaign_id, customer_id, channel)
);
CREATE INDEX campaign_sends_customer ON campaign_sends(customer_id);

CREATE TABLE campaign_outcomes (
    campaign_id      VARCHAR NOT NULL,
    customer_id      VARCHAR NOT NULL,
    arm              VARCHAR NOT NULL,
    opened           BOOLEAN NOT NULL DEFAULT FALSE,
    clicked          BOOLEAN NOT NULL DEFAULT FALSE,
    purchased        BOOLEAN NOT NULL DEFAULT FALSE,
    days_to_purchase INTEGER,
    revenue          DOUBLE NOT NULL DEFAULT 0,
    source           VARCHAR NOT NULL,              -- simulated | orders | file
    PRIMARY KEY (campaign_id, customer_id)
);
