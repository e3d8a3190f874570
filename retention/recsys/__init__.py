"""Recommender models over an implicit-feedback matrix (customers × products) and their offline evaluation."""
