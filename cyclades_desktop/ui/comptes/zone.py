"""Candidats area (placeholder until the accounts screens land)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...services.contexte import Contexte


class ZoneComptes(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel("Candidats"))

    def rechercher(self, texte: str) -> None:
        pass
