"""The example profiles and teams bundled with staffcheck, reachable when installed (placeholder)."""
