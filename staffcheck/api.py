"""The Python API: load a pack, screen a profile, assess a team, as typed results (placeholder)."""
