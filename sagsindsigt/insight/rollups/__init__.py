"""The read model: monthly rollups, their refresh and catch-up, and the reads of figures."""
