"""Tab "Bureau": the office identity printed at the top of every document
(docs/domaine/documents.md#entete)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ...rules.errors import DomainError
from ...services import referentiel
from ...services.noyau import Contexte
from ...services.referentiel import edition
from ..ecran import defilant
from ..formulaire import Formulaire, signaler
from .commun import LECTURE_SEULE, STYLE_SUCCES, bouton, note, rangee

CHAMPS = [
    ("academie", "Académie", None, True),
    ("nom_service", "Service", None, True),
    ("bureau", "Bureau", None, False),
    ("adresse", "Adresse", "Une ligne par ligne imprimée (5 au maximum).", True),
    ("code_postal", "Code postal", None, True),
    ("ville", "Ville", None, True),
    ("telephone", "Téléphone", "Exemple : 04 42 91 72 87", True),
    ("email", "Adresse mail", None, True),
    ("site", "Site internet", None, False),
    ("departements", "Départements de l'académie",
     "Séparés par des virgules. Un candidat individuel au baccalauréat professionnel doit résider dans l'un "
     "d'eux ; vide : pas de contrôle.", False),
]


class OngletBureau(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool) -> None:
        super().__init__()
        self.ctx = ctx
        self.ecriture = ecriture
        self.row_version = 0
        self.form = Formulaire()
        for cle, libelle, aide, obligatoire in CHAMPS:
            widget: QWidget = QPlainTextEdit() if cle == "adresse" else QLineEdit()
            self.form.ajouter(cle, libelle, widget, aide=aide, obligatoire=obligatoire and ecriture)
            if isinstance(widget, QPlainTextEdit):
                widget.setTabChangesFocus(True)   # Tab leaves the field instead of typing a tab
                # After ajouter(), which pins the minimum height to the (tall) size hint.
                widget.setFixedHeight(widget.fontMetrics().lineSpacing() * 5 + 14)
            if not ecriture:
                widget.setReadOnly(True)  # type: ignore[attr-defined]
        self.form.layout_.setContentsMargins(0, 0, 0, 0)

        self.bouton_enregistrer = bouton("&Enregistrer", QKeySequence.StandardKey.Save)
        self.bouton_enregistrer.setDefault(True)
        self.bouton_enregistrer.clicked.connect(self.enregistrer)
        self.bouton_recharger = bouton("&Recharger la fiche")
        self.bouton_recharger.setToolTip("Relit la fiche enregistrée : les modifications non enregistrées sont "
                                         "abandonnées.")
        self.bouton_recharger.clicked.connect(self.charger)
        self.message = QLabel()
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet(STYLE_SUCCES)

        self.apercu = QLabel()
        self.apercu.setAccessibleName("Aperçu de l'en-tête")
        carte = QFrame()
        carte.setObjectName("carte")
        QVBoxLayout(carte).addWidget(self.apercu)

        # Scrolled: the form and the header's preview are taller than a 1366×768 screen leaves them.
        contenu = QWidget()
        box = QVBoxLayout(contenu)
        box.setContentsMargins(0, 0, 8, 0)
        box.addWidget(note("Ces informations sont imprimées en tête de chaque document envoyé aux candidats "
                           "(récapitulatif, convocations, relevés de notes)."))
        if not ecriture:
            box.addWidget(note(LECTURE_SEULE))
        box.addWidget(self.form)
        titre = QLabel("Aperçu de l'en-tête des documents")
        titre.setObjectName("sous_titre")
        box.addWidget(titre)
        box.addWidget(carte)
        box.addStretch(1)
        page = QVBoxLayout(self)
        page.addWidget(defilant(contenu), 1)
        if ecriture:   # under the scrolled part: Enregistrer stays in view
            page.addLayout(rangee(self.bouton_enregistrer, self.bouton_recharger, self.message))
            # Entrée in the last field saves, as in a dialog.
            self.form.champs["departements"].returnPressed.connect(self.enregistrer)  # type: ignore[attr-defined]
        self.charger()

    def charger(self) -> None:
        b = referentiel.bureau(self.ctx)
        self.row_version = b.row_version
        s = edition.saisie_bureau(b)
        for cle, widget in self.form.champs.items():
            valeur = getattr(s, cle)
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(valeur)
            elif isinstance(widget, QLineEdit):
                widget.setText(valeur)
        self.form.effacer_erreurs()
        self._apercu(s)
        self._depart = self.saisie()

    def saisie_en_cours(self) -> bool:
        """Typed and not saved: closing the application asks first (MainWindow.closeEvent)."""
        return self.ecriture and self.saisie() != self._depart

    def saisie(self) -> edition.SaisieBureau:
        s = edition.SaisieBureau()
        for cle, widget in self.form.champs.items():
            setattr(s, cle, widget.toPlainText() if isinstance(widget, QPlainTextEdit)
                    else widget.text())  # type: ignore[attr-defined]
        return s

    def _apercu(self, s: edition.SaisieBureau) -> None:
        lignes = [s.nom_service, s.bureau, *s.adresse.splitlines(), f"{s.code_postal} {s.ville}",
                  f"Téléphone : {s.telephone}", s.email, s.site]
        self.apercu.setText("<br>".join([f"<b>{_html(s.academie)}</b>"]
                                        + [_html(x) for x in lignes if x.strip()]))

    def enregistrer(self) -> None:
        self.message.clear()
        self.form.effacer_erreurs()
        try:
            self.row_version = edition.modifier_bureau(self.ctx, self.saisie(), self.row_version)
        except DomainError as exc:
            signaler(self, exc, self.form)
            return
        self.charger()   # shows the stored form (e.g. the phone number regrouped by pairs)
        self.message.setText("Identité du bureau enregistrée.")


def _html(texte: str) -> str:
    return texte.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
