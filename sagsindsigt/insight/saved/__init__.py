"""Saved views (a named set of dashboard filters) and the monthly digest of them."""
