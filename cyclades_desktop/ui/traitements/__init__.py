"""Traitements: the deadline batches (annulations, écartements) and the relances of pièces."""
