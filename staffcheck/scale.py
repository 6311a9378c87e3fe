"""Screening as a function of records, for existing distributed engines (Dask, Ray, Spark) (placeholder)."""
