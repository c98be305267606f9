"""The rep's figures: calls against plan, reach and frequency, coverage, sales."""
