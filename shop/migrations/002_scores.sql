-- Churn scores and segments written by `retain score` (retention/), read by tools, campaigns and the UI.
CREATE TABLE churn_scores (
    customer_id       VARCHAR NOT NULL,
    as_of             DATE NOT NULL,
    churn_probability DOUBLE NOT NULL,
    risk_band         VARCHAR NOT NULL,             -- low | medium | high
    drivers           JSON,                         -- [{"feature": ..., "value": ..., "contribution": ..., "text": ...}]
    segment           VARCHAR,                      -- champions | loyal | potential loyalists | at risk | can't lose | hibernating | lost | new
    rfm               VARCHAR,                      -- e.g. '545'
    clv_12m           DOUBLE,
    lifecycle_stage   VARCHAR,                      -- new | active | lapsing | lapsed
    model_version     VARCHAR,
    PRIMARY KEY (customer_id, as_of)
);
