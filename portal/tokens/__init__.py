"""API tokens: let a merchant's scripts read its organisation's data without a browser."""
