"""Approved e-mail on the server (docs/email.md): templates an admin approves, the rules a
rep's e-mail must meet on push, the send queue and its SMTP delivery, open and click
tracking and the unsubscribe link."""
