"""Tests of the central server (server/), against a real server process."""
