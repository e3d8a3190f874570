"""Win-back campaigns: audience -> offers -> per-customer drafts -> validator -> approval -> A/B assignment with a
holdout -> export -> outcomes -> uplift report. State lives in the shop store (migration 005_campaigns.sql)."""
