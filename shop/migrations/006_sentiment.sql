-- Sentiment (negative | neutral | positive) of each review and ticket, labelled from its text by
-- retention.sentiment.label_store; NULL until labelled. Used by the churn features (negative_sentiment_90d).
ALTER TABLE reviews ADD COLUMN sentiment VARCHAR;
ALTER TABLE tickets ADD COLUMN sentiment VARCHAR;
