"""The content library and the import of CLM content."""
