"""One account: its screen, the accounts list, its consents and its data-protection export."""
