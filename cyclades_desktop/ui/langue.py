"""Qt's own words in French: the standard buttons (OK, Annuler, Enregistrer…), a text field's context
menu, the file, print and progress dialogs. The office is French whatever language the laptop was
installed in, so the catalogues are chosen here, never from the system locale."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..paths import resources_dir

# qtbase holds the widgets' and dialogs' strings; qt_fr is the meta-catalogue of the other Qt modules
# (it pulls qtbase_fr in again, which costs nothing).
CATALOGUES = ("qtbase_fr", "qt_fr")
# Ours, for the few strings qtbase_fr leaves in English (the file dialog's labels…): a compiled
# catalogue rather than a Python translator, which Qt's threads would call into.
COMPLEMENTS = "complements_fr"
_PROPRIETE = "cyclades_traductions"
_journal = logging.getLogger(__name__)


def dossiers_traductions() -> list[Path]:
    """Where Qt keeps its .qm files: Qt's own answer first, then the PySide6 wheel's folder (a frozen
    build may carry them there without a qt.conf telling Qt)."""
    dossiers = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    import PySide6

    dossiers.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    return dossiers


def _installer(app: QCoreApplication, nom: str, dossiers: list[Path]) -> bool:
    traducteur = QTranslator(app)     # parented to the application: it lives as long as it does
    if any(traducteur.load(nom, str(d)) for d in dossiers):
        app.installTranslator(traducteur)
        return True
    traducteur.deleteLater()
    return False


def installer_traductions(app: QCoreApplication) -> list[str]:
    """Install Qt's French catalogues on ``app`` and make French (France) the default locale (dates,
    numbers, day names in calendars). Call it before any window is built: widgets read their texts
    when they are made. Safe to call again; returns the catalogues loaded."""
    deja = app.property(_PROPRIETE)
    if deja is not None:
        return list(deja)
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    # Qt asks the last installed first: ours go first, so that Qt's catalogues win where they translate.
    charges = [COMPLEMENTS] if _installer(app, COMPLEMENTS, [resources_dir() / "traductions"]) else []
    charges += [nom for nom in CATALOGUES if _installer(app, nom, dossiers_traductions())]
    if "qtbase_fr" not in charges:
        _journal.warning("Traductions de Qt introuvables (%s) : les boutons standard resteront en anglais.",
                         ", ".join(str(d) for d in dossiers_traductions()))
    app.setProperty(_PROPRIETE, charges)
    return charges
