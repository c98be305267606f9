"""Presenting a deck: slides on the doctor's screen, the rep's console, HTML slides in a
sandbox, and the capture of what was shown."""
