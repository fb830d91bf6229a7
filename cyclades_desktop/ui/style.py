"""The application's look: a calm, readable style for eight hours a day."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

FEUILLE = """
QWidget { font-size: 13px; }
QFrame#carte { background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; padding: 16px; }
QLabel#titre { font-size: 20px; font-weight: 600; color: #1f3a5f; }
QLabel#sous_titre { font-size: 15px; font-weight: 600; color: #1f3a5f; }
QListWidget[accessibleName="Navigation"] { background: #1f3a5f; color: white; font-size: 14px; border: none; }
QListWidget[accessibleName="Navigation"]::item { padding: 10px 12px; }
QListWidget[accessibleName="Navigation"]::item:selected { background: #3d6aa8; }
QPushButton { padding: 5px 14px; }
QPushButton:default { background: #1f5fbf; color: white; border-radius: 4px; border: 1px solid #1a4f9f; }
QLineEdit[readOnly="true"] { background: #eef1f4; color: #444; }
QTableView { gridline-color: #e3e6ea; selection-background-color: #cfe0fa; selection-color: black; }
QHeaderView::section { background: #eef1f4; padding: 4px; border: none; border-right: 1px solid #d0d7de; }
"""


def appliquer_style(app: QApplication) -> None:
    if app.property("cyclades_style"):
        return
    app.setStyle("Fusion")
    app.setStyleSheet(FEUILLE)
    app.setProperty("cyclades_style", True)
