"""Accounts configured from a unit's staff list: read the file, preview each row, apply."""
