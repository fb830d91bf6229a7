"""Use cases. Plain functions taking a Contexte; the only layer that commits."""
