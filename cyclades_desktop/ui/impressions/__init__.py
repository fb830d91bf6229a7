"""Batch printing screens."""
