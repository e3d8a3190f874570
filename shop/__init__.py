"""The shop store (DuckDB): schema and migrations, importers, the demo generator, and the queries tools use."""
