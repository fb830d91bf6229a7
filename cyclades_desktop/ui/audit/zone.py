"""Placeholder replaced by the real screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...services.contexte import Contexte


class ZoneAudit(QWidget):
    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel("audit"))
