"""Accounts: users, roles, login, registration, password reset and invitations."""
