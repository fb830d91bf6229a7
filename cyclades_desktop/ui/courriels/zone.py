"""« Boîte d'envoi »: every message recorded for a candidate and its e-mail's fate (à envoyer, envoyé,
échec and why), filtered by state, paged from the database; send now, send a selection again."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...rules.courriels import SECURITES, EtatEnvoi, Securite
from ...rules.errors import DomainError
from ...rules.temps import format_date_heure
from ...services import courriels
from ...services.courriels import LigneEnvoi
from ...services.noyau import Contexte, P, autorise
from ..formulaire import bouton_action, nommer, signaler
from ..tables import Colonne, ModelePagine, table_lecture
from ..taches import Executeur

PAGE = 200
COULEURS = {EtatEnvoi.ECHEC: QColor("#b00020"), EtatEnvoi.A_ENVOYER: QColor("#8a4b00")}
FILTRES = [("Tous les messages", None), ("À envoyer", EtatEnvoi.A_ENVOYER), ("Envoyés", EtatEnvoi.ENVOYE),
           ("En échec", EtatEnvoi.ECHEC)]


def _envoye_ou_raison(x: LigneEnvoi) -> str:
    if x.etat == EtatEnvoi.ENVOYE:
        return f"Envoyé le {format_date_heure(x.envoye_le)}"
    return x.derniere_erreur or ""


_COLONNES: tuple[Colonne[LigneEnvoi], ...] = (
    Colonne("Enregistré le", lambda x: format_date_heure(x.cree_le)),
    Colonne("Destinataire", lambda x: x.destinataire),
    Colonne("Objet", lambda x: x.objet),
    Colonne("État", lambda x: x.libelle_etat),
    Colonne("Tentatives", lambda x: str(x.tentatives)),
    Colonne("Prochain essai", lambda x: format_date_heure(x.prochain_essai)),
    Colonne("Envoyé le / raison", _envoye_ou_raison, lambda x: x.derniere_erreur),
)


class ModeleEnvois(ModelePagine[LigneEnvoi]):
    def __init__(self, ctx: Contexte) -> None:
        # Only the last column has a tooltip: the whole reason of a failure.
        super().__init__(_COLONNES, PAGE, identifiant=lambda x: x.envoi_id, bulle_texte=False)
        self.ctx = ctx
        self.etat: str | None = None

    def charger(self, etat: str | None) -> None:
        """First page of the messages in ``etat`` (None: all). Raises DomainError (the caller shows it)."""
        self.recharger(lambda apres, limite: courriels.lister(
            self.ctx, etat, avant_id=apres.envoi_id if apres else None, limite=limite))
        self.etat = etat

    def donnee(self, ligne: LigneEnvoi, colonne: int, role: int) -> object:
        if role == Qt.ItemDataRole.ForegroundRole and colonne in (3, 6):
            return COULEURS.get(ligne.etat)
        return None


class ZoneBoiteEnvoi(QWidget):
    parametres_demandes = Signal()

    def __init__(self, ctx: Contexte, executeur: Executeur | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        titre = QLabel("Boîte d'envoi")
        titre.setObjectName("titre")
        self.configuration = QLabel()
        self.configuration.setWordWrap(True)
        nommer(self.configuration, "Messagerie")

        self.filtre = QComboBox()
        nommer(self.filtre, "État")
        for libelle, code in FILTRES:
            self.filtre.addItem(libelle, code)
        self.filtre.currentIndexChanged.connect(lambda _i: self.charger())
        etiquette = QLabel("É&tat :")
        etiquette.setBuddy(self.filtre)
        self.compte = QLabel()
        nommer(self.compte, "Nombre de messages")

        self.modele = ModeleEnvois(ctx)
        self.modele.erreur.connect(lambda exc: signaler(self, exc, titre="Liste incomplète"))
        self.table = table_lecture("Messages de la boîte d'envoi", self.modele)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        entete = self.table.horizontalHeader()
        for col, largeur in ((0, 125), (1, 200), (2, 300), (3, 90), (4, 90), (5, 125)):
            entete.resizeSection(col, largeur)
        entete.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._montrer(cur.row()))
        self.corps = QPlainTextEdit()
        self.corps.setReadOnly(True)
        nommer(self.corps, "Contenu du message")
        self.corps.setPlaceholderText("Sélectionnez un message pour lire son contenu.")

        self.bouton_envoyer = bouton_action("&Envoyer maintenant", "Envoyer dès maintenant les messages en "
                                            "attente dont l'heure d'essai est venue", self.envoyer)
        self.bouton_renvoyer = bouton_action("&Renvoyer la sélection", "Remettre les messages sélectionnés "
                                             "(en échec ou en attente) dans la file, à envoyer tout de suite",
                                             self.renvoyer)
        self.bouton_actualiser = bouton_action("Act&ualiser", "Relire la boîte d'envoi (F5)", self.charger)
        self.bouton_actualiser.setShortcut(Qt.Key.Key_F5)
        self.bouton_parametres = bouton_action("Para&mètres de messagerie…", "Serveur SMTP, expéditeur, envoi "
                                               "automatique (chef de bureau)", self.parametres_demandes.emit)
        self.bouton_parametres.setVisible(autorise(ctx, P.MESSAGERIE_PARAMETRER))
        self.parametres_demandes.connect(self.ouvrir_parametres)
        self.resultat = QLabel()
        nommer(self.resultat, "Résultat de l'action")
        self.resultat.setWordWrap(True)

        haut = QHBoxLayout()
        haut.addWidget(etiquette)
        haut.addWidget(self.filtre)
        haut.addWidget(self.compte, 1)
        haut.addWidget(self.bouton_actualiser)
        boutons = QHBoxLayout()
        boutons.addWidget(self.bouton_envoyer)
        boutons.addWidget(self.bouton_renvoyer)
        boutons.addStretch(1)
        boutons.addWidget(self.bouton_parametres)
        bas = QWidget()
        bas_box = QVBoxLayout(bas)
        bas_box.setContentsMargins(0, 0, 0, 0)
        lab = QLabel("C&ontenu du message :")
        lab.setBuddy(self.corps)
        bas_box.addWidget(lab)
        bas_box.addWidget(self.corps)
        separation = QSplitter(Qt.Orientation.Vertical)
        separation.addWidget(self.table)
        separation.addWidget(bas)
        separation.setSizes([420, 180])

        box = QVBoxLayout(self)
        box.addWidget(titre)
        box.addWidget(self.configuration)
        box.addLayout(haut)
        box.addWidget(separation, 1)
        box.addLayout(boutons)
        box.addWidget(self.resultat)
        self.charger()

    # --- reading ----------------------------------------------------------------------------
    def charger(self) -> None:
        try:
            p = courriels.lire_parametres(self.ctx)
            self.modele.charger(self.filtre.currentData())
            n = courriels.compteurs(self.ctx)
        except DomainError as exc:
            signaler(self, exc, titre="Boîte d'envoi indisponible")
            return
        if not p.configure:
            self.configuration.setText("La messagerie n'est pas paramétrée : les messages attendent ici jusqu'à "
                                       "ce que le chef de bureau renseigne le serveur SMTP.")
        else:
            securite = "sans chiffrement" if p.securite == Securite.AUCUNE else SECURITES.get(
                p.securite, p.securite)
            auto = ("envoi automatique chaque minute" if p.envoi_automatique
                    else "envoi automatique désactivé : utilisez « Envoyer maintenant »")
            self.configuration.setText(f"Serveur {p.hote}:{p.port} ({securite}), expéditeur "
                                       f"{p.adresse_expediteur} ; {auto}. Dates et heures en heure de Paris.")
        self.compte.setText(f"À envoyer : {n.get(EtatEnvoi.A_ENVOYER, 0)} · Envoyés : {n.get(EtatEnvoi.ENVOYE, 0)}"
                            f" · En échec : {n.get(EtatEnvoi.ECHEC, 0)}")
        self.corps.clear()

    def _montrer(self, row: int) -> None:
        if not 0 <= row < len(self.modele.lignes):
            self.corps.clear()
            return
        x = self.modele.lignes[row]
        try:
            corps = courriels.corps(self.ctx, x.message_id)
        except DomainError as exc:
            corps = exc.message
        self.corps.setPlainText(f"Objet : {x.objet}\nÀ : {x.destinataire}\nEnregistré le "
                                f"{format_date_heure(x.cree_le)} (heure de Paris)\n{x.texte_etat}\n\n{corps}")

    def selection(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.modele.lignes[r].envoi_id for r in rows]

    # --- actions ----------------------------------------------------------------------------
    def envoyer(self) -> None:
        self.bouton_envoyer.setEnabled(False)
        self.resultat.setText("Envoi en cours…")
        ctx = self.ctx
        # The server may take up to 15 s to answer: in the background, the window stays usable.
        self.tache = self.executeur.lancer(lambda _t: courriels.envoyer_en_attente(ctx),
                                           resultat=self._envoye, erreur=self._echec)

    def _envoye(self, rapport: object) -> None:
        self.bouton_envoyer.setEnabled(True)
        assert isinstance(rapport, courriels.RapportEnvoi)
        self.resultat.setText(rapport.texte)
        self.charger()

    def _echec(self, exc: Exception) -> None:
        self.bouton_envoyer.setEnabled(True)
        self.resultat.setText("")
        signaler(self, exc, titre="Envoi impossible")

    def renvoyer(self) -> None:
        ids = self.selection()
        if not ids:
            self.resultat.setText("Sélectionnez d'abord les messages à renvoyer.")
            return
        try:
            n = courriels.renvoyer(self.ctx, ids)
        except DomainError as exc:
            signaler(self, exc, titre="Renvoi impossible")
            return
        self.charger()
        if n == 0:
            self.resultat.setText("Les messages sélectionnés ont déjà été envoyés : rien à renvoyer.")
        else:
            self.resultat.setText(f"{n} message{'s' if n > 1 else ''} remis dans la file, à envoyer maintenant.")

    def ouvrir_parametres(self) -> None:
        from .parametres import DialogueMessagerie

        try:
            self.dialogue = DialogueMessagerie(self.ctx, self, self.executeur)
        except DomainError as exc:
            signaler(self, exc, titre="Paramètres de messagerie")
            return
        self.dialogue.enregistre.connect(lambda _p: self.charger())
        self.dialogue.open()
