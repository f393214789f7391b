"""Participants (with encrypted CPR) and their append-only pathway events."""
