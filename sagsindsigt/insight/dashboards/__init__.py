"""The dashboards: overview, administration, unit, case area and theme pages, with charts and downloads."""
