"""Fieldrep: an offline-first desktop CRM for pharmaceutical field teams."""

__version__ = "0.1.0"
