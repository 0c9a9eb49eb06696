"""Teams and studios: an organisation's members with their roles, and its live accounts."""
