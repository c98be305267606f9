"""The call report: the form, its sections, and the draft kept while the rep types."""
