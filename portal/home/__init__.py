"""The home page: what the base offers, and each role's starting points."""
