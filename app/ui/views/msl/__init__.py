"""The MSL's desk of escalated medical inquiries and its forms."""
