"""Targets (måltal): rules, reads, writes and their pages."""
