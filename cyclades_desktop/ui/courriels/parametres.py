"""« Paramètres de messagerie » (chef de bureau): the office's SMTP server. The password is kept on this
workstation, never in the database; « Tester la connexion » runs in the background and says what
happened next to the button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...rules.courriels import PORTS_PAR_DEFAUT, Securite, valider_smtp
from ...rules.errors import DomainError, ValidationError
from ...services import courriels, referentiel
from ...services.noyau import Contexte
from ..formulaire import STYLE_ERREUR, Formulaire, boutons_enregistrer, nommer, signaler
from ..taches import Executeur

STYLE_SUCCES = "color: #1b5e20; font-weight: 600;"


class DialogueMessagerie(QDialog):
    enregistre = Signal(object)       # the saved ParametresSmtp

    def __init__(self, ctx: Contexte, parent: QWidget | None = None, executeur: Executeur | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.executeur = executeur or Executeur()
        self.setWindowTitle("Paramètres de messagerie")
        nommer(self, "Paramètres de messagerie")
        self.setMinimumWidth(560)
        etat = courriels.etat_parametres(ctx)
        p = etat.parametres

        intro = QLabel("Les messages enregistrés pour les candidats (activation, inscription, relances…) sont "
                       "envoyés par mail par le serveur SMTP du bureau. Le mot de passe est conservé sur ce "
                       "poste uniquement, jamais dans la base de données.")
        intro.setWordWrap(True)
        f = self.formulaire = Formulaire()
        self.hote = f.ajouter("hote", "Serveur SMTP", QLineEdit(p.hote), obligatoire=True,
                              aide="Par exemple smtp.ac-exemple.fr")
        self.securite = QComboBox()
        for securite in Securite:
            self.securite.addItem(securite.libelle, str(securite))
        self.securite.setCurrentIndex(max(0, self.securite.findData(p.securite)))
        f.ajouter("securite", "Sécurité", self.securite)
        self.port = f.ajouter("port", "Port", QLineEdit(str(p.port)), obligatoire=True,
                              aide="587 avec STARTTLS, 465 avec SSL/TLS, 25 sans chiffrement.")
        self.securite.currentIndexChanged.connect(self._port_par_defaut)
        self.identifiant = f.ajouter("identifiant", "Compte (identifiant)", QLineEdit(p.identifiant),
                                     aide="Laissez vide si le serveur n'exige pas d'authentification.")
        self.mot_de_passe = f.ajouter("mot_de_passe", "Mot de passe", QLineEdit())
        self.mot_de_passe.setEchoMode(QLineEdit.EchoMode.Password)
        if etat.mot_de_passe_environnement:
            self.mot_de_passe.setPlaceholderText("Fourni par la variable CYCLADES_SMTP_MOT_DE_PASSE")
        elif etat.mot_de_passe_enregistre:
            self.mot_de_passe.setPlaceholderText("Enregistré sur ce poste : laissez vide pour le conserver")
        self.oublier = QCheckBox("Effacer le mot de passe enregistré sur ce poste")
        nommer(self.oublier, "Effacer le mot de passe enregistré sur ce poste")
        self.oublier.setVisible(etat.mot_de_passe_enregistre and not etat.mot_de_passe_environnement)
        f.ajouter_ligne(self.oublier)
        nom_defaut = p.nom_expediteur
        if not nom_defaut and not p.hote:
            try:
                nom_defaut = referentiel.bureau(ctx).nom_service
            except LookupError:
                nom_defaut = ""
        self.adresse = f.ajouter("adresse_expediteur", "Adresse d'expédition", QLineEdit(p.adresse_expediteur),
                                 obligatoire=True, aide="L'adresse qui apparaît comme expéditeur des messages.")
        self.nom = f.ajouter("nom_expediteur", "Nom de l'expéditeur", QLineEdit(nom_defaut),
                             aide="Par exemple le nom du bureau des examens.")
        self.automatique = QCheckBox("Envoyer automatiquement")
        nommer(self.automatique, "Envoyer automatiquement")
        self.automatique.setChecked(p.envoi_automatique)
        self.automatique.setToolTip("Chaque minute, ce poste envoie les messages en attente en arrière-plan.")
        f.ajouter_ligne(self.automatique)

        self.bouton_tester = QPushButton("&Tester la connexion")
        nommer(self.bouton_tester, "Tester la connexion")
        self.bouton_tester.setAutoDefault(False)
        self.bouton_tester.clicked.connect(self.tester)
        self.resultat_test = QLabel()
        nommer(self.resultat_test, "Résultat du test")
        self.resultat_test.setWordWrap(True)
        self.resultat_test.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test = QHBoxLayout()
        test.addWidget(self.bouton_tester)
        test.addWidget(self.resultat_test, 1)

        boutons, self.bouton_enregistrer, annuler = boutons_enregistrer(self.enregistrer, self.reject)
        annuler.setAutoDefault(False)

        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(f)
        box.addLayout(test)
        box.addLayout(boutons)

    def _port_par_defaut(self) -> None:
        """Follow the security's usual port, unless the office typed its own."""
        if self.port.text().strip() in {str(v) for v in PORTS_PAR_DEFAUT.values()} | {""}:
            self.port.setText(str(PORTS_PAR_DEFAUT[self.securite.currentData()]))

    def saisie(self) -> courriels.SaisieSmtp:
        return courriels.SaisieSmtp(
            hote=self.hote.text(), port=self.port.text(), securite=str(self.securite.currentData()),
            identifiant=self.identifiant.text(), mot_de_passe=self.mot_de_passe.text(),
            oublier_mot_de_passe=self.oublier.isChecked() and not self.mot_de_passe.text(),
            adresse_expediteur=self.adresse.text(), nom_expediteur=self.nom.text(),
            envoi_automatique=self.automatique.isChecked())

    def tester(self) -> None:
        self.formulaire.effacer_erreurs()
        saisie = self.saisie()
        try:
            valider_smtp(saisie)
        except ValidationError as exc:
            self.formulaire.afficher_erreurs(exc.errors)
            self._resultat("Corrigez les champs signalés avant de tester.", False)
            return
        self.bouton_tester.setEnabled(False)
        self._resultat("Connexion en cours…", True)
        ctx = self.ctx
        # Up to 15 s when the server does not answer: never on the window's thread.
        self.tache_test = self.executeur.lancer(lambda _t: courriels.tester_connexion(ctx, saisie),
                                                resultat=lambda texte: self._fin_test(str(texte), True),
                                                erreur=self._erreur_test)

    def _erreur_test(self, exc: Exception) -> None:
        message = exc.message if isinstance(exc, DomainError) else (
            f"Échec de la connexion : erreur inattendue ({type(exc).__name__}).")
        self._fin_test(message, False)

    def _fin_test(self, texte: str, ok: bool) -> None:
        self.bouton_tester.setEnabled(True)
        self._resultat(texte, ok)

    def _resultat(self, texte: str, ok: bool) -> None:
        self.resultat_test.setText(texte)
        self.resultat_test.setStyleSheet(STYLE_SUCCES if ok else STYLE_ERREUR)

    def enregistrer(self) -> None:
        self.formulaire.effacer_erreurs()
        try:
            p = courriels.enregistrer_parametres(self.ctx, self.saisie())
        except ValidationError as exc:
            signaler(self, exc, self.formulaire, "Paramètres incorrects")
            return
        except DomainError as exc:
            signaler(self, exc, titre="Enregistrement impossible")
            return
        self.enregistre.emit(p)
        self.accept()

