"""Administration: users (invite, roles, suspension), organisations and categories."""
