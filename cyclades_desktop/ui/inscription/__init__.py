"""The registration form (seed 004 §3): a wizard with the nine tabs of the CYCLADES portal."""
