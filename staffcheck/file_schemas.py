"""JSON Schemas (2020-12) of the files staffcheck reads, from the loaders' declarations (placeholder)."""
