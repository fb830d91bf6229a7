"""« Délibération » of a jury (docs/domaine/resultats.md#deliberation, #decisions): session → jury → group,
« Délibérer » (a refusal, such as missing grades, is the service's sentence), the candidates ranked by
average with the engine's decision and mention, the jury's points on a row, the decisions recorded, the
procès-verbal signed and the deliberation closed (confirmed; never the default answer), the PV printed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ...documents.pv_deliberation import rendre_pv
from ...rules.errors import DomainError
from ...rules.resultats import LIBELLES_TOUR, PREMIER_GROUPE, EtatDeliberation
from ...services import resultats
from ...services.noyau import Contexte
from ..apercu_pdf import ouvrir_apercu
from ..formulaire import confirmer, signaler
from ..referentiel.commun import (
    DialogueFormulaire,
    bouton,
    cle_courante,
    note,
    ouvrir,
    rangee,
    remplir,
    selectionner,
    tableau,
)
from ..taches import Executeur
from .saisie import combo, etiquette, sessions_recentes

COLONNES = ("Rang", "N° candidat", "Nom", "Prénoms", "Moyenne", "Points du jury", "Décision", "Mention", "Statut")


class DialoguePoints(DialogueFormulaire):
    """The jury's points on one candidate, with the reason the PV answers for (RES-14)."""

    def __init__(self, parent: QWidget, ctx: Contexte, r: resultats.VueResultat) -> None:
        super().__init__(parent, "Points de jury")
        self.ctx, self.r = ctx, r
        self.form.ajouter_ligne(QLabel(f"{r.nom} {r.prenoms} (N° {r.numero_candidat}) — moyenne {r.moyenne}, "
                                       f"{r.decision.lower()}"))
        self.points = self.form.ajouter("points", "Points", QLineEdit(str(r.points_jury).replace(".", ",")
                                                                     if r.points_jury else ""),
                                        aide="Ajoutés au total des points (par exemple 0,5).", obligatoire=True)
        self.motif = self.form.ajouter("motif", "Motif", QPlainTextEdit(r.points_jury_motif), obligatoire=True)
        self.motif.setTabChangesFocus(True)      # type: ignore[attr-defined]
        self.motif.setMaximumHeight(90)          # a sentence or two, printed in the journal

    def executer(self) -> object:
        return resultats.attribuer_points_jury(self.ctx, self.r.id, self.points.text(),  # type: ignore[attr-defined]
                                               self.motif.toPlainText(), self.r.row_version)  # type: ignore[attr-defined]


class OngletDeliberation(QWidget):
    def __init__(self, ctx: Contexte, executeur: Executeur) -> None:
        super().__init__()
        self.ctx, self.executeur = ctx, executeur
        self.vue: resultats.VueDeliberation | None = None
        self.resultats: dict[int, resultats.VueResultat] = {}
        self.session, self.jury, self.tour = combo("Session"), combo("Jury"), combo("Groupe")
        for tour, libelle in LIBELLES_TOUR.items():
            self.tour.addItem(libelle, tour)
        self.deliberer = bouton("Délibé&rer")
        self.points = bouton("P&oints de jury…")
        self.decisions = bouton("Enregistrer les dé&cisions")
        self.clore = bouton("Signer e&t clore…")
        self.imprimer = bouton("Imprimer le P&V", QKeySequence.StandardKey.Print)
        self.deliberer.setToolTip("Calcule la proposition du moteur pour chaque candidat du jury.")
        self.points.setToolTip("Ajoute des points du jury au candidat choisi, avec leur motif.")
        self.decisions.setToolTip("Arrête les décisions proposées, au nom du président du jury.")
        self.etat = note("")
        self.table = tableau("Résultats du jury", COLONNES, etirer=2)
        self.table.doubleClicked.connect(lambda _i: self.ouvrir_points())

        box = QVBoxLayout(self)
        box.addLayout(rangee(etiquette("&Session :", self.session), self.session, etiquette("&Jury :", self.jury),
                             self.jury, etiquette("&Groupe :", self.tour), self.tour, etirer=False))
        box.addLayout(rangee(self.deliberer, self.points, self.decisions, self.clore, self.imprimer))
        box.addWidget(self.etat)
        box.addWidget(etiquette("Rés&ultats du jury (par moyenne ; Entrée : points de jury) :", self.table))
        box.addWidget(self.table, 1)

        sessions_recentes(ctx, self.session)
        self.session.currentIndexChanged.connect(lambda _i: self.charger_jurys())
        self.jury.currentIndexChanged.connect(lambda _i: self.charger())
        self.tour.currentIndexChanged.connect(lambda _i: self.charger())
        self.deliberer.clicked.connect(self.lancer_deliberation)
        self.points.clicked.connect(self.ouvrir_points)
        self.decisions.clicked.connect(lambda: self._etape(resultats.enregistrer_decisions))
        self.clore.clicked.connect(self.signer_et_clore)
        self.imprimer.clicked.connect(self.imprimer_pv)
        self.table.activated.connect(lambda _i: self.ouvrir_points())
        self.charger_jurys()

    # --- reading ---------------------------------------------------------------------------------
    def charger_jurys(self) -> None:
        self.jury.blockSignals(True)
        self.jury.clear()
        sid = self.session.currentData()
        try:
            jurys = resultats.lister_jurys(self.ctx, sid) if sid is not None else []
        except DomainError as exc:
            signaler(self, exc)
            jurys = []
        for j in jurys:
            self.jury.addItem(f"{j.libelle} ({j.candidatures} candidat{'s' if j.candidatures > 1 else ''})", j.id)
        self.jury.blockSignals(False)
        self.charger()

    def charger(self) -> None:
        jury_id, tour = self.jury.currentData(), self.tour.currentData() or PREMIER_GROUPE
        garde = cle_courante(self.table)
        try:
            self.vue = resultats.deliberation_du_jury(self.ctx, jury_id, tour) if jury_id is not None else None
            lignes = resultats.classement_deliberation(self.ctx, self.vue.id) if self.vue else []
        except DomainError as exc:
            signaler(self, exc)
            self.vue, lignes = None, []
        self.resultats = {r.id: r for r in lignes}
        remplir(self.table, [[str(i), r.numero_candidat, r.nom, r.prenoms, r.moyenne,
                              str(r.points_jury).replace(".", ",") if r.points_jury else "", r.decision, r.mention,
                              r.libelle_statut] for i, r in enumerate(lignes, 1)], [r.id for r in lignes])
        if garde is not None:
            selectionner(self.table, garde)
        elif lignes:
            self.table.setCurrentCell(0, 0)
        self._etat()

    def _etat(self) -> None:
        v = self.vue
        if self.jury.currentData() is None:
            texte = "Aucun jury pour cette session : les jurys se composent dans le référentiel des résultats."
        elif v is None:
            texte = "Ce jury n'a pas encore délibéré : « Délibérer » calcule la proposition de chaque candidat."
        else:
            effectifs = " ; ".join(f"{libelle} : {n}" for libelle, n in v.effectifs)
            signe = f" Procès-verbal signé par {v.signee_par}." if v.signee_le else ""
            texte = f"{v.libelle} — {v.total} candidat{'s' if v.total > 1 else ''}. {effectifs}.{signe}"
        self.etat.setText(texte)
        ouverte = v is not None and v.etat != EtatDeliberation.CLOSE and v.signee_le is None
        self.deliberer.setEnabled(self.jury.currentData() is not None and (v is None or ouverte))
        self.points.setEnabled(ouverte and bool(self.resultats))
        self.decisions.setEnabled(ouverte and bool(self.resultats))
        self.clore.setEnabled(v is not None and v.etat != EtatDeliberation.CLOSE and v.decisions_le is not None)
        self.imprimer.setEnabled(v is not None and v.decisions_le is not None)

    # --- actions ---------------------------------------------------------------------------------
    def lancer_deliberation(self) -> None:
        jury_id, tour = self.jury.currentData(), self.tour.currentData() or PREMIER_GROUPE
        if jury_id is None:
            return
        # A large jury takes a moment to compute: off the GUI thread.
        self.deliberer.setEnabled(False)
        self.executeur.lancer(lambda _t: resultats.deliberer_jury(self.ctx, jury_id, tour),
                              resultat=lambda _v: self.charger(),
                              erreur=lambda exc: (signaler(self, exc, titre="Délibération impossible"), self._etat()))

    def ouvrir_points(self) -> None:
        r = self.resultats.get(cle_courante(self.table))          # type: ignore[arg-type]
        if r is None or not self.points.isEnabled():
            return
        ouvrir(DialoguePoints(self, self.ctx, r), lambda _v: self.charger())

    def _etape(self, action: object) -> None:
        v = self.vue
        if v is None:
            return
        try:
            self.vue = action(self.ctx, v.id, v.row_version)       # type: ignore[operator]
        except DomainError as exc:
            signaler(self, exc)      # a conflict or a refusal: what is stored now is shown below
        self.charger()

    def signer_et_clore(self) -> None:
        v = self.vue
        if v is None:
            return
        confirmer(self, "Signer et clore la délibération",
                  f"Le président a-t-il signé le procès-verbal du jury « {v.jury} » ?\n\nUne fois la "
                  "délibération close, ses décisions ne changent plus : seul le chef de bureau les corrige, avec "
                  "un motif.", self._signer_puis_clore, oui="Signer et clore", destructif=True)

    def _signer_puis_clore(self) -> None:
        v = self.vue
        assert v is not None
        try:
            if v.signee_le is None:
                v = resultats.enregistrer_signature(self.ctx, v.id, v.row_version)
            self.vue = resultats.clore_deliberation(self.ctx, v.id, v.row_version)
        except DomainError as exc:
            signaler(self, exc)
        self.charger()

    def imprimer_pv(self) -> None:
        v = self.vue
        if v is None:
            return
        self.executeur.lancer(lambda _t: rendre_pv(resultats.donnees_pv(self.ctx, v.id)),
                              resultat=lambda pdf: ouvrir_apercu(self, "Procès-verbal de délibération", pdf,
                                                                 f"pv-{v.jury}-{v.tour}.pdf".replace(" ", "-")),
                              erreur=lambda exc: signaler(self, exc, titre="Impression impossible"))

    def focus_initial(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
