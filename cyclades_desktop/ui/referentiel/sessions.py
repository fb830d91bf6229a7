"""Tab "Sessions et périodes": sessions, their registration periods per domaine and deadlines,
always shown in Paris time."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from ...rules.errors import DomainError
from ...rules.referentiel import CONSEQUENCES, MODES_DEPOT, REGLES_ECHEANCE
from ...rules.temps import dans_le_delai, format_date_heure
from ...services import referentiel
from ...services.noyau import Contexte
from ...services.referentiel import VueDomaine, VueEcheance, VuePeriode, VueSession, edition
from ..formulaire import signaler, supprimer_apres_confirmation
from .commun import LECTURE_SEULE, bouton, cle_courante, note, ouvrir, rangee, remplir, selectionner, tableau
from .sessions_dialogues import DialogueEcheance, DialoguePeriode, DialogueSession


def texte_periode(p: VuePeriode) -> str:
    return f"du {format_date_heure(p.ouverture)} au {format_date_heure(p.cloture)} (heure de Paris)"


class OngletSessions(QWidget):
    def __init__(self, ctx: Contexte, ecriture: bool) -> None:
        super().__init__()
        self.ctx = ctx
        self.ecriture = ecriture
        self.domaines: list[VueDomaine] = referentiel.domaines(ctx)
        self.libelles_domaines = {d.code: d.libelle for d in self.domaines}
        self.sessions: list[VueSession] = []

        self.liste = QListWidget()
        self.liste.setAccessibleName("Sessions")
        self.liste.currentRowChanged.connect(self._afficher)
        self.bouton_session = bouton("&Nouvelle session…")
        self.bouton_session.clicked.connect(self.nouvelle_session)
        gauche = QWidget()
        g = QVBoxLayout(gauche)
        g.setContentsMargins(0, 0, 0, 0)
        g.addWidget(_sous_titre("Sessions"))
        g.addWidget(self.liste, 1)
        if ecriture:
            g.addWidget(self.bouton_session)

        self.titre = _sous_titre("")
        self.periodes = tableau("Périodes d'inscription", ["Domaine", "Période d'inscription", "État"])
        self.periodes.activated.connect(lambda _i: self.modifier_periode())   # Enter or double-click
        self.bouton_modifier_periode = bouton("&Modifier la période…")
        self.bouton_modifier_periode.clicked.connect(self.modifier_periode)
        self.bouton_nouvelle_periode = bouton("Nouvelle pé&riode…")
        self.bouton_nouvelle_periode.clicked.connect(self.nouvelle_periode)
        self.bouton_supprimer_periode = bouton("&Supprimer la période")
        self.bouton_supprimer_periode.clicked.connect(self.supprimer_periode)
        self.echeances = tableau("Échéances", ["Domaine", "Échéance", "Date limite", "Règle", "Mode de dépôt",
                                               "Conséquence"], largeurs={1: 280})
        self.echeances.activated.connect(lambda _i: self.modifier_echeance())
        self.bouton_modifier_echeance = bouton("Modifier l'é&chéance…")
        self.bouton_modifier_echeance.clicked.connect(self.modifier_echeance)
        self.bouton_nouvelle_echeance = bouton("Nou&velle échéance…")
        self.bouton_nouvelle_echeance.clicked.connect(self.nouvelle_echeance)
        self.bouton_supprimer_echeance = bouton("Supprimer l'éc&héance")
        self.bouton_supprimer_echeance.clicked.connect(self.supprimer_echeance)

        droite = QWidget()
        d = QVBoxLayout(droite)
        d.setContentsMargins(0, 0, 0, 0)
        d.addWidget(self.titre)
        if not ecriture:
            d.addWidget(note(LECTURE_SEULE))
        d.addWidget(QLabel("Périodes d'inscription (heure de Paris)"))
        d.addWidget(self.periodes, 2)
        if ecriture:
            d.addLayout(rangee(self.bouton_modifier_periode, self.bouton_nouvelle_periode,
                               self.bouton_supprimer_periode))
        d.addWidget(QLabel("Échéances de retour de la confirmation et des pièces (heure de Paris)"))
        d.addWidget(self.echeances, 3)
        if ecriture:
            d.addLayout(rangee(self.bouton_modifier_echeance, self.bouton_nouvelle_echeance,
                               self.bouton_supprimer_echeance))

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(gauche)
        split.addWidget(droite)
        split.setStretchFactor(1, 1)
        split.setSizes([170, 1000])
        QVBoxLayout(self).addWidget(split)
        self.charger()

    # --- data --------------------------------------------------------------------------------
    def charger(self, session_id: int | None = None) -> None:
        courant = session_id if session_id is not None else (self.session.id if self.session else None)
        garder = courant == (self.session.id if self.session else None)
        periode, echeance = cle_courante(self.periodes), cle_courante(self.echeances)
        self.sessions = edition.lister_sessions(self.ctx)
        self.liste.blockSignals(True)
        self.liste.clear()
        for se in self.sessions:
            item = QListWidgetItem(se.libelle if se.type == "normale" else f"{se.libelle} (VAE)")
            item.setData(Qt.ItemDataRole.UserRole, se.id)
            self.liste.addItem(item)
        self.liste.blockSignals(False)
        index = next((i for i, se in enumerate(self.sessions) if se.id == courant), 0)
        self.liste.setCurrentRow(index if self.sessions else -1)
        self._afficher(self.liste.currentRow())
        if garder:   # after an edit, the row just changed stays selected
            selectionner(self.periodes, periode)
            selectionner(self.echeances, echeance)

    @property
    def session(self) -> VueSession | None:
        row = self.liste.currentRow()
        return self.sessions[row] if 0 <= row < len(self.sessions) else None

    def _afficher(self, _row: int) -> None:
        se = self.session
        if se is None:
            self.titre.setText("Aucune session")
            remplir(self.periodes, [])
            remplir(self.echeances, [])
            return
        self.titre.setText(f"Session {se.libelle}" + (" — validation des acquis de l'expérience"
                                                       if se.type == "vae" else ""))
        maintenant = self.ctx.clock.now()
        periodes = sorted(se.periodes, key=lambda p: self._ordre(p.domaine_code))
        remplir(self.periodes, [[self._domaine(p.domaine_code), texte_periode(p), _etat(p, maintenant)]
                                for p in periodes], [p.domaine_code for p in periodes])
        echeances = sorted(se.echeances, key=lambda e: (self._ordre(e.domaine_code), e.date_limite))
        remplir(self.echeances, [[
            e.domaine_code, e.libelle, f"{format_date_heure(e.date_limite)} (heure de Paris)",
            REGLES_ECHEANCE.get(e.regle, e.regle), MODES_DEPOT.get(e.mode_depot or "", "—"),
            CONSEQUENCES.get(e.consequence or "", "—")] for e in echeances], [e.id for e in echeances])
        if periodes:
            self.periodes.setCurrentCell(0, 0)
        if echeances:
            self.echeances.setCurrentCell(0, 0)

    def _ordre(self, code: str) -> int:
        return next((i for i, d in enumerate(self.domaines) if d.code == code), 99)

    def _domaine(self, code: str) -> str:
        return f"{code} — {self.libelles_domaines.get(code, code)}"

    # --- actions -----------------------------------------------------------------------------
    def nouvelle_session(self) -> DialogueSession:
        return ouvrir(DialogueSession(self, self.ctx), lambda sid: self.charger(sid))  # type: ignore[arg-type, return-value]

    def periode_courante(self) -> VuePeriode | None:
        code = cle_courante(self.periodes)
        se = self.session
        return next((p for p in se.periodes if p.domaine_code == code), None) if se else None

    def modifier_periode(self, domaine: str | None = None) -> DialoguePeriode | None:
        if not self.ecriture or self.session is None:
            return None
        if domaine is not None:
            selectionner(self.periodes, domaine)
        p = self.periode_courante()
        if p is None:
            return None
        return ouvrir(DialoguePeriode(self, self.ctx, self.session, self.domaines, p),  # type: ignore[return-value]
                      lambda _r: self.charger())

    def nouvelle_periode(self) -> DialoguePeriode | None:
        se = self.session
        if not self.ecriture or se is None:
            return None
        pris = {p.domaine_code for p in se.periodes}
        libres = [d for d in self.domaines if d.code not in pris]
        if not libres:
            signaler(self, DomainError("Chaque domaine a déjà sa période pour cette session : modifiez-la."))
            return None
        return ouvrir(DialoguePeriode(self, self.ctx, se, libres, None),  # type: ignore[return-value]
                      lambda _r: self.charger())

    def supprimer_periode(self) -> None:
        p, se = self.periode_courante(), self.session
        if p is None or se is None:
            return
        supprimer_apres_confirmation(
            self, "Supprimer la période", f"Supprimer la période d'inscription {p.domaine_code} de la "
            f"session {se.libelle} ({texte_periode(p)}) ?",
            lambda: edition.supprimer_periode(self.ctx, se.id, p.domaine_code), self.charger)

    def echeance_courante(self) -> VueEcheance | None:
        eid = cle_courante(self.echeances)
        se = self.session
        return next((e for e in se.echeances if e.id == eid), None) if se else None

    def modifier_echeance(self) -> DialogueEcheance | None:
        e, se = self.echeance_courante(), self.session
        if not self.ecriture or e is None or se is None:
            return None
        return ouvrir(DialogueEcheance(self, self.ctx, se, self.domaines, e),  # type: ignore[return-value]
                      lambda _r: self.charger())

    def nouvelle_echeance(self) -> DialogueEcheance | None:
        se = self.session
        if not self.ecriture or se is None:
            return None
        return ouvrir(DialogueEcheance(self, self.ctx, se, self.domaines, None),  # type: ignore[return-value]
                      lambda _r: self.charger())

    def supprimer_echeance(self) -> None:
        e = self.echeance_courante()
        if e is None:
            return
        supprimer_apres_confirmation(
            self, "Supprimer l'échéance", f"Supprimer l'échéance « {e.libelle} » ({e.domaine_code}) ?",
            lambda: edition.supprimer_echeance(self.ctx, e.id), self.charger)


def _etat(p: VuePeriode, maintenant: datetime) -> str:
    # SQLite hands back naive UTC values
    ouv, clo = (x if x.tzinfo else x.replace(tzinfo=UTC) for x in (p.ouverture, p.cloture))
    if maintenant < ouv:
        return "À venir"
    return "Ouverte" if dans_le_delai(maintenant, clo) else "Close"   # the closing minute is still open


def _sous_titre(texte: str) -> QLabel:
    lab = QLabel(texte)
    lab.setObjectName("sous_titre")
    return lab
