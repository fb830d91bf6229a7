"""Tab 2 - Identification: the account's identity greyed, the address (the postal code proposes its
communes), nationality and phones."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ...rules import inscriptions as regles
from ...rules.comptes import PAYS_FRANCE
from ...rules.temps import format_date
from ...services.referentiel import CommunePostale, adresses
from ..champs import ComboListe
from ..formulaire import Formulaire
from .champs import STYLE_NOTE, FormulaireLarge, paragraphe, poser_mnemoniques
from .commun import Assistant, PageOnglet

NOTE_COMPTE = (
    "Ces données du compte sont reprises automatiquement et ne sont pas modifiables ici (elles sont grisées). "
    "Si elles sont erronées, elles se modifient par « Modifier le compte » tant qu'aucune candidature n'a été "
    "créée ; ensuite, seul le service gestionnaire peut les corriger.")
LOI_INFORMATIQUE = (
    "Conformément à la \"loi informatique et libertés\" du 6 janvier 1978 modifiée en 2004, vous bénéficiez "
    "d'un droit d'accès et de rectification aux informations qui vous concernent : vous pouvez exercer ce "
    "droit en vous adressant au service des examens et concours de votre académie d'inscription. Vous pouvez "
    "également, pour des motifs légitimes, vous opposer au traitement des données vous concernant.")
INDICATION_LOCALITE = "Nom de la commune"


def _ligne(longueur: int, indication: str = "") -> QLineEdit:
    w = QLineEdit()
    w.setMaxLength(longueur)
    if indication:
        w.setPlaceholderText(indication)
    return w


def _lecture_seule(valeur: str) -> QLineEdit:
    w = QLineEdit(valeur)
    w.setReadOnly(True)
    w.setCursorPosition(0)
    # Tab goes from one input to the next: the greyed identity is read, not typed.
    w.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return w


def _groupe(titre: str, contenu: QWidget) -> QGroupBox:
    g = QGroupBox(titre)
    QVBoxLayout(g).addWidget(contenu)
    return g


class PageIdentification(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.IDENTIFICATION)
        self._communes: list[CommunePostale] = []
        i = assistant.demarrage.identite

        self.f_identite, self.f_naissance = Formulaire(), Formulaire()
        for f, cle, libelle, valeur in (
                (self.f_identite, "civilite", "Civilité", i.civilite),
                (self.f_identite, "nom", "Nom de famille", i.nom),
                (self.f_identite, "nom_usage", "Nom d'usage", i.nom_usage),
                (self.f_identite, "prenoms", "Prénoms", i.prenoms),
                (self.f_identite, "email", "Adresse mail", i.email),
                (self.f_naissance, "date_naissance", "Date de naissance", format_date(i.date_naissance)),
                (self.f_naissance, "pays_naissance", "Pays de naissance", i.pays_naissance),
                (self.f_naissance, "departement_naissance", "Département, DOM ou COM de naissance",
                 i.departement_naissance),
                (self.f_naissance, "commune_naissance", "Commune de naissance", i.commune_naissance)):
            f.ajouter(cle, libelle, _lecture_seule(valeur))
        for f in (self.f_identite, self.f_naissance):
            f.layout_.setVerticalSpacing(3)

        f = self.f_adresse = FormulaireLarge()
        self.pays = ComboListe(assistant.pays, "Nom du pays")
        f.ajouter("adresse_pays", "Pays", self.pays, obligatoire=True)
        self.voie = f.ajouter("adresse_voie", "Numéro, rue, voie", _ligne(120), obligatoire=True)
        self.complements = [f.ajouter(f"adresse_complement{n}", f"Complément adresse {n}", _ligne(120))
                            for n in (1, 2, 3)]
        self.code_postal = f.ajouter("code_postal", "Code postal", _ligne(10, "Exemple : 29100"),
                                     obligatoire=True)
        self.localite = QComboBox()
        self.localite.setEditable(True)
        self.localite.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.localite.lineEdit().setMaxLength(120)
        self.localite.lineEdit().setPlaceholderText(INDICATION_LOCALITE)
        self.localite.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.localite.setMinimumContentsLength(16)
        f.ajouter("localite", "Localité", self.localite, obligatoire=True,
                  aide="Proposée d'après le code postal.")

        f = self.f_contacts = FormulaireLarge()
        self.nationalite = ComboListe(assistant.nationalites, "Sélectionnez une nationalité")
        self.nationalite.setMinimumContentsLength(24)
        f.ajouter("nationalite", "Nationalité", self.nationalite, obligatoire=True)
        self.mobile = f.ajouter("telephone_mobile", "Téléphone personnel mobile",
                                _ligne(20, "Exemple : 0623456789 ou +33623456789"))
        self.fixe = f.ajouter("telephone_fixe", "Téléphone personnel",
                              _ligne(20, "Exemple : 0123456789 ou +33123456789"),
                              aide="Indiquez au moins un numéro de téléphone.")
        for f in (self.f_adresse, self.f_contacts):
            f.layout_.setVerticalSpacing(4)
        self.formulaires = [self.f_adresse, self.f_contacts]
        poser_mnemoniques([self.f_adresse, self.f_contacts])

        identite = QGroupBox("Identité et naissance (données du compte)")
        grille = QGridLayout(identite)
        grille.addWidget(self.f_identite, 0, 0)
        grille.addWidget(self.f_naissance, 0, 1)
        grille.addWidget(paragraphe(NOTE_COMPTE, STYLE_NOTE, nom="Note sur les données du compte"), 1, 0, 1, 2)
        grille.setColumnStretch(0, 2)
        grille.setColumnStretch(1, 3)
        self.corps.addWidget(identite)
        colonnes = QHBoxLayout()
        colonnes.setSpacing(12)
        adresse = _groupe("Adresse", self.f_adresse)
        adresse.setMaximumWidth(405)   # the phones' examples need the room on the right
        gauche = QVBoxLayout()
        gauche.addWidget(adresse)
        gauche.addStretch(1)
        colonnes.addLayout(gauche, 9)
        droite = QVBoxLayout()
        droite.addWidget(_groupe("Nationalité et contacts", self.f_contacts))
        droite.addWidget(paragraphe(LOI_INFORMATIQUE, STYLE_NOTE, nom="Loi informatique et libertés"))
        droite.addStretch(1)
        colonnes.addLayout(droite, 11)
        self.corps.addLayout(colonnes)
        self.corps.addStretch(1)

        self.pays.valeur_changee.connect(lambda _c: self._code_postal_change(self.code_postal.text()))
        self.code_postal.textChanged.connect(self._code_postal_change)

    # --- the postal code proposes its communes ----------------------------------------------
    def _code_postal_change(self, texte: str) -> None:
        cp = texte.strip()
        france = self.pays.valeur() == PAYS_FRANCE
        communes = adresses.communes_postales(self.assistant.ctx, cp) if france and len(cp) == 5 else []
        if [c.nom for c in communes] != [c.nom for c in self._communes]:
            tape = self.localite.currentText()
            if tape.casefold() in {c.nom.casefold() for c in self._communes}:
                tape = ""   # a commune of the former code, not something typed
            self._communes = communes
            self.localite.clear()
            self.localite.addItems([c.nom for c in communes])
            noms = {c.nom.casefold(): c.nom for c in communes}
            if len(communes) == 1:
                self.localite.setCurrentIndex(0)
            elif tape.casefold() in noms:
                self.localite.setCurrentIndex(self.localite.findText(noms[tape.casefold()]))
            else:
                self.localite.setCurrentIndex(-1)
                self.localite.setEditText("" if communes else tape)
        if len(communes) > 1:
            indication = f"Choisissez parmi les {len(communes)} communes de ce code postal"
        elif france and len(cp) == 5 and not communes:
            indication = "Aucune commune connue pour ce code postal : saisissez la localité"
        else:
            indication = INDICATION_LOCALITE
        self.localite.lineEdit().setPlaceholderText(indication)

    def _commune_code(self) -> str | None:
        texte = self.localite.currentText().strip().casefold()
        return next((c.code_insee for c in self._communes if c.nom.casefold() == texte), None)

    # --- saisie -----------------------------------------------------------------------------
    def charger(self, s: regles.SaisieCandidature) -> None:
        self.pays.choisir(s.adresse_pays or PAYS_FRANCE)
        self.voie.setText(s.adresse_voie)
        for champ, valeur in zip(self.complements, (s.adresse_complement1, s.adresse_complement2,
                                                    s.adresse_complement3), strict=True):
            champ.setText(valeur)
        self.code_postal.setText(s.code_postal)
        self.localite.setEditText(s.localite)
        if s.nationalite:
            self.nationalite.choisir(s.nationalite)
        self.mobile.setText(s.telephone_mobile)
        self.fixe.setText(s.telephone_fixe)

    def collecter(self, s: regles.SaisieCandidature) -> None:
        s.adresse_pays = self.pays.valeur()
        s.adresse_voie = self.voie.text()
        s.adresse_complement1, s.adresse_complement2, s.adresse_complement3 = (c.text() for c in self.complements)
        s.code_postal = self.code_postal.text().strip()
        s.localite = self.localite.currentText()
        s.commune_code = self._commune_code() if s.adresse_pays == PAYS_FRANCE else None
        s.nationalite = self.nationalite.valeur()
        s.telephone_mobile = self.mobile.text()
        s.telephone_fixe = self.fixe.text()
