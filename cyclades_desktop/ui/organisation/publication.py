"""Tab « Publication des convocations » (docs/domaine/organisation.md#convocations), for the chef de
bureau: for the session (and spécialité) chosen above the tabs and an optional examen, « Analyser »
first counts the candidatures whose convocation would get a new version (each published one is
rendered again and compared with its last version) and lists the clashes that block the publication;
then « Publier les convocations… », after a non-blocking confirmation, publishes in the background
with a cancellable progress dialog and ends with a summary. A cancel stops between two chunks of candidatures: what is
published stays published, and a new analysis resumes with the others."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressDialog, QVBoxLayout, QWidget

from ...rules.temps import format_date_heure, paris
from ...services import organisation
from ...services.noyau import Contexte, P, autorise
from ...services.organisation import analyse_convocations, convocations
from ...services.organisation.analyse_convocations import Apercu
from ...services.organisation.convocations import Rapport
from ..filtres_session import FiltresSession
from ..formulaire import STYLE_AIDE, confirmer, nommer, signaler
from ..referentiel.commun import bouton, rangee, remplir, tableau
from ..taches import Executeur, Tache

TITRE = "Publication des convocations"
EXPLICATION = (
    "Chaque candidature inscrite dont la convocation aux épreuves a changé depuis sa dernière version "
    "(planning, salle, place retirée, épreuve supprimée, aménagements, adresse) ou n'a jamais été publiée "
    "reçoit une nouvelle version dans « Mes documents » et un message. Analysez d'abord : les conflits "
    "d'horaires bloquent la publication. La publication peut être interrompue ; relancée, elle reprend "
    "avec les candidatures restantes.")


def _quand(e: organisation.EpreuveCandidat) -> str:
    return f"{format_date_heure(e.debut)}–{paris(e.fin):%H:%M}"


class OngletPublication(QWidget):
    def __init__(self, ctx: Contexte, filtres: Callable[[], tuple[int | None, str | None]],
                 executeur: Executeur) -> None:
        super().__init__()
        self.ctx, self.filtres, self.executeur = ctx, filtres, executeur
        self.autorise = autorise(ctx, P.CONVOCATIONS_PUBLIER)
        self.apercu: Apercu | None = None
        self.cle_apercu: tuple[object, ...] | None = None
        self.tache: Tache | None = None
        self.dialogue: QProgressDialog | None = None
        self.taille_lot = convocations.TAILLE_LOT

        explication = QLabel(EXPLICATION)
        explication.setWordWrap(True)
        self.refus = QLabel("Réservé au chef de bureau.")
        nommer(self.refus, "Accès")
        self.refus.setStyleSheet(STYLE_AIDE)
        self.refus.setVisible(not self.autorise)
        # The session and spécialité are chosen above the tabs: here the examen only.
        self.filtre_examen = FiltresSession(ctx, self, session=None, examen="E&xamen :")
        l_examen, self.examen = self.filtre_examen.libelles[0]
        self.examen.currentIndexChanged.connect(lambda _i: self.charger())
        self.b_analyser = bouton("A&nalyser", "Ctrl+R")
        self.b_analyser.clicked.connect(self.analyser)
        self.bilan = QLabel("Choisissez la session (et éventuellement l'examen ou la spécialité), puis analysez.")
        nommer(self.bilan, "Bilan de l'analyse")
        self.bilan.setWordWrap(True)
        self.bilan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = tableau("Conflits bloquant la publication", [
            "N° candidat", "Nom", "Épreuve 1", "Horaire 1", "Épreuve 2", "Horaire 2"],
            largeurs={2: 220, 4: 220}, etirer=1)
        self.table.setVisible(False)               # shown when clashes block the publication
        self.b_publier = bouton("P&ublier les convocations…")
        self.b_publier.clicked.connect(self.publier)
        self.resultat = QLabel()
        nommer(self.resultat, "Résultat")
        self.resultat.setStyleSheet("font-weight: 600;")
        self.resultat.setWordWrap(True)
        self.resultat.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        box = QVBoxLayout(self)
        box.addWidget(explication)
        box.addWidget(self.refus)
        box.addLayout(rangee(l_examen, self.examen, self.b_analyser))
        box.addWidget(self.bilan)
        box.addWidget(self.table, 1)
        box.addStretch(1)
        box.addLayout(rangee(self.b_publier))
        box.addWidget(self.resultat)
        self._etat()

    # --- state -------------------------------------------------------------------------------------
    def _cle(self) -> tuple[object, ...]:
        session_id, specialite_id = self.filtres()
        return session_id, specialite_id, self.examen.currentData()

    def _etat(self) -> None:
        libre = self.autorise and self.tache is None
        self.examen.setEnabled(libre)
        self.b_analyser.setEnabled(libre and self.filtres()[0] is not None)
        a = self.apercu
        self.b_publier.setEnabled(libre and a is not None and not a.interrompu and not a.conflits
                                  and bool(a.a_publier) and self.cle_apercu == self._cle())

    def charger(self) -> None:
        """Shown again or filters changed: an analysis made for other filters is dropped (it must never
        be published by mistake); otherwise it stays (analysing again is the user's call: it renders
        every published convocation)."""
        if self.apercu is not None and self.cle_apercu != self._cle():
            self.apercu = None
            self.bilan.setText("Les filtres ont changé : analysez à nouveau.")
            remplir(self.table, [], [])
            self.table.setVisible(False)
        self._etat()

    # --- progress dialog ---------------------------------------------------------------------------
    def _dialogue(self, libelle: str) -> QProgressDialog:
        dialogue = QProgressDialog(libelle, "&Interrompre", 0, 0, self)
        dialogue.setWindowTitle(TITRE)
        nommer(dialogue, TITRE)
        # Modeless: the office goes on working elsewhere meanwhile; this tab waits.
        dialogue.setWindowModality(Qt.WindowModality.NonModal)
        dialogue.setMinimumDuration(0)
        dialogue.setAutoClose(False)
        dialogue.setAutoReset(False)
        dialogue.setValue(0)
        self.dialogue = dialogue
        return dialogue

    def _progression(self, verbe: str) -> Callable[[int, int], None]:
        def pas(n: int, total: int) -> None:
            d = self.dialogue
            if d is not None and not d.wasCanceled():
                d.setMaximum(max(total, 1))
                d.setLabelText(f"{verbe} {n} / {total}")
                d.setValue(n)
        return pas

    def _fermer(self) -> None:
        if self.dialogue is not None:
            self.dialogue.canceled.disconnect()          # closing a QProgressDialog emits canceled
            self.dialogue.close()
            self.dialogue.deleteLater()
            self.dialogue = None
        self.tache = None

    def _lancer(self, travail: Callable[[Tache], object], verbe: str, fin: Callable[[object], None],
                echec_texte: str) -> None:
        dialogue = self._dialogue(f"{verbe}…")
        tache = self.executeur.preparer(travail)
        dialogue.canceled.connect(tache.annuler)
        dialogue.canceled.connect(lambda: self.resultat.setText("Interruption après le lot en cours…"))
        tache.progression.connect(self._progression(verbe))
        tache.resultat.connect(lambda r: (self._fermer(), fin(r), self._etat()))
        tache.erreur.connect(lambda exc: self._echec(exc, echec_texte))
        self.tache = tache
        self._etat()
        dialogue.open()
        self.executeur.demarrer(tache)

    def _echec(self, exc: Exception, texte: str) -> None:
        self._fermer()
        self.resultat.setText(texte)
        self._etat()
        signaler(self, exc, titre=TITRE)

    # --- analysis ----------------------------------------------------------------------------------
    def analyser(self) -> None:
        session_id, specialite_id = self.filtres()
        if session_id is None or self.tache is not None or not self.autorise:
            return
        cle = self._cle()
        domaine = self.examen.currentData()
        ctx = self.ctx
        self.resultat.clear()

        def fin(apercu: object) -> None:
            assert isinstance(apercu, Apercu)
            self.apercu, self.cle_apercu = apercu, cle
            texte = apercu.message
            if apercu.conflits:
                n = len(apercu.conflits)
                texte += (f"\n{n} conflit{'s' if n > 1 else ''} d'horaires bloque{'nt' if n > 1 else ''} la "
                          "publication : résolvez-les dans l'onglet « Conflits » ou au planning, puis analysez "
                          "à nouveau.")
            elif apercu.interrompu:
                texte += "\nAnalysez à nouveau jusqu'au bout pour pouvoir publier."
            self.bilan.setText(texte)
            self.table.setVisible(bool(apercu.conflits))
            remplir(self.table, [[k.numero_candidat, k.nom, k.a.epreuve, _quand(k.a), k.b.epreuve, _quand(k.b)]
                                 for k in apercu.conflits], [k.compte_id for k in apercu.conflits])

        self._lancer(lambda t: analyse_convocations.analyser(ctx, session_id, domaine=domaine,
                                                             specialite_id=specialite_id,
                                                             progression=t.signaler, annule=t.annule),
                     "Analyse", fin, "L'analyse s'est arrêtée : rien n'a été publié.")

    # --- publication -------------------------------------------------------------------------------
    def publier(self) -> None:
        a = self.apercu
        if a is None or not a.a_publier or self.tache is not None or self.cle_apercu != self._cle():
            return
        n = len(a.a_publier)
        quoi = "1 convocation" if n == 1 else f"{n} convocations"
        confirmer(self, "Publier les convocations",
                  f"Publier {quoi} aux épreuves ?\n\nChaque candidat recevra la nouvelle version dans « Mes "
                  "documents » et un message. Vous pourrez interrompre la publication : ce qui est publié le "
                  "reste, et une nouvelle analyse reprend avec les autres.",
                  lambda: self._publier(a), oui="Publier", non="Revenir à l'analyse")

    def _publier(self, apercu: Apercu) -> None:
        ctx, taille = self.ctx, self.taille_lot
        self.resultat.setText("Publication en cours…")

        def fin(rapport: object) -> None:
            assert isinstance(rapport, Rapport)
            self.resultat.setText(rapport.message)
            # Done (or partly done): the analysis no longer describes the database.
            self.apercu = None
            self.bilan.setText("Analysez à nouveau pour voir ce qui reste à publier." if rapport.interrompue
                               else "Publication terminée.")

        self._lancer(lambda t: convocations.publier_convocations(
            ctx, apercu.session_id, apercu=apercu, taille_lot=taille, progression=t.signaler, annule=t.annule),
            "Publication", fin, "La publication s'est arrêtée : les convocations déjà publiées le restent ; "
                                "analysez à nouveau pour reprendre.")
