"""What the organisation announces to the apps built on it, so it never has to import them."""

from __future__ import annotations

from django.dispatch import Signal

working_day_rules_changed = Signal()
"""Sent (with `actor`) inside the transaction that changed the closing days: apps that store working-day
figures (due dates, processing and reply times) recompute them."""
