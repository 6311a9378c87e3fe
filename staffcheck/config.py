"""The project configuration: ``[tool.staffcheck]`` in pyproject.toml or staffcheck.yaml (placeholder)."""
