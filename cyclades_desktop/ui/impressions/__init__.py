"""Batch printing screens (issue 5 item 6)."""
