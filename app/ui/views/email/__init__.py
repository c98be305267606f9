"""Approved e-mail: the compose dialog (docs/email.md)."""
