"""The bottom package (DESIGN.md §4): no models, imports no app."""
