"""The metric registry and the figures it is defined over (pure; no database)."""
