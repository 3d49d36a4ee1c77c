"""The output folder: what docgen may replace, how it swaps a new tree in, how `check` reads it."""
