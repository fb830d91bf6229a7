"""Cyclades Desktop : le système de gestion des inscriptions d'une division des examens."""

__version__ = "0.1.0"
APP_NAME = "Cyclades Desktop"
