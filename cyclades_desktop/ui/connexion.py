"""First start (create the first chef de bureau) and sign-in, shown inside the main window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..rules.errors import DomainError
from ..services import personnel
from ..services.noyau import AgentConnecte, Contexte
from .formulaire import Formulaire, signaler


def _mdp() -> QLineEdit:
    w = QLineEdit()
    w.setEchoMode(QLineEdit.EchoMode.Password)
    return w


class _Carte(QFrame):
    def __init__(self, titre: str, sous_titre: str) -> None:
        super().__init__()
        self.setObjectName("carte")
        self.setMaximumWidth(560)
        self.box = QVBoxLayout(self)
        t = QLabel(titre)
        t.setObjectName("titre")
        self.box.addWidget(t)
        st = QLabel(sous_titre)
        st.setWordWrap(True)
        self.box.addWidget(st)


def _centrer(widget: QWidget, carte: QWidget) -> None:
    # Stretches rather than an alignment flag: an aligned widget gets its plain size hint and
    # wrapped help lines inside it would be clipped.
    ligne = QHBoxLayout()
    ligne.addStretch(1)
    ligne.addWidget(carte, 3)
    ligne.addStretch(1)
    box = QVBoxLayout(widget)
    box.addStretch(1)
    box.addLayout(ligne)
    box.addStretch(2)


class PremierDemarrage(QWidget):
    """Shown while no staff account exists."""

    connecte = Signal(object)

    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        carte = _Carte("Premier démarrage", "Aucun compte du personnel n'existe encore. Créez le compte du "
                       "premier chef de bureau : il pourra ensuite créer les comptes des agents et des "
                       "gestionnaires.")
        self.form = Formulaire()
        self.login = self.form.ajouter("login", "Identifiant", QLineEdit(), obligatoire=True,
                                       aide="Exemple : carole.dano")
        self.nom = self.form.ajouter("nom", "Nom", QLineEdit(), obligatoire=True)
        self.prenom = self.form.ajouter("prenom", "Prénom", QLineEdit(), obligatoire=True)
        self.email = self.form.ajouter("email", "Adresse mail professionnelle", QLineEdit())
        self.mdp = self.form.ajouter("mot_de_passe", "Mot de passe", _mdp(), obligatoire=True,
                                     aide="10 à 64 caractères, dont une minuscule, une majuscule et un "
                                          "chiffre ou un caractère spécial.")
        self.mdp2 = self.form.ajouter("mot_de_passe_confirmation", "Confirmation du mot de passe", _mdp(),
                                      obligatoire=True)
        carte.box.addWidget(self.form)
        self.bouton = QPushButton("&Créer le compte chef de bureau")
        self.bouton.setDefault(True)
        self.bouton.clicked.connect(self.valider)
        self.mdp2.returnPressed.connect(self.valider)
        carte.box.addWidget(self.bouton)
        _centrer(self, carte)

    def valider(self) -> None:
        saisie = personnel.SaisieAgent(
            login=self.login.text(), nom=self.nom.text(), prenom=self.prenom.text(), email=self.email.text(),
            mot_de_passe=self.mdp.text(), mot_de_passe_confirmation=self.mdp2.text())
        try:
            agent = personnel.creer_premier_chef(self.ctx, saisie)
        except DomainError as exc:
            signaler(self, exc, self.form, "Création du compte impossible")
            return
        self.connecte.emit(agent)


class Connexion(QWidget):
    connecte = Signal(object)

    def __init__(self, ctx: Contexte) -> None:
        super().__init__()
        self.ctx = ctx
        carte = _Carte("Connexion", "Identifiez-vous avec votre compte du personnel.")
        self.form = Formulaire()
        self.login = self.form.ajouter("login", "Identifiant", QLineEdit(), obligatoire=True)
        self.mdp = self.form.ajouter("mot_de_passe", "Mot de passe", _mdp(), obligatoire=True)
        carte.box.addWidget(self.form)
        self.message = QLabel()
        self.message.setAccessibleName("Message de connexion")
        self.message.setStyleSheet("color: #b00020; font-weight: 600;")
        carte.box.addWidget(self.message)
        self.bouton = QPushButton("Se &connecter")
        self.bouton.setDefault(True)
        self.bouton.clicked.connect(self.valider)
        self.mdp.returnPressed.connect(self.valider)
        self.login.returnPressed.connect(self.mdp.setFocus)
        carte.box.addWidget(self.bouton)
        _centrer(self, carte)

    def valider(self) -> None:
        try:
            agent: AgentConnecte = personnel.connecter(self.ctx, self.login.text(), self.mdp.text())
        except DomainError as exc:
            self.message.setText(exc.message)
            self.mdp.clear()
            self.mdp.setFocus()
            return
        self.message.clear()
        self.mdp.clear()
        self.connecte.emit(agent)
