"""Pièces justificatives: the reviewers' grid and the file viewer beside it."""
