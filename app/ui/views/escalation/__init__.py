"""Escalating a medical question to an MSL, and where it stands, on the account screen."""
