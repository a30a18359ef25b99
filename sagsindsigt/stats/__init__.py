"""Pure statistics and chart specs any app may use: distributions, funnel plots, control charts."""
