"""The « Résultats » area: grade entry by lot, deliberation of a jury."""
