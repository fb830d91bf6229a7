"""The account form (docs/domaine/comptes.md), for a creation at the counter or a modification.

Nothing is written until « Enregistrer »; the service checks everything and its field messages
are shown under the fields, with what was typed left in place."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...rules.comptes import IDENTITE, PAYS_FRANCE, SaisieCompte
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...services import comptes, referentiel
from ...services.comptes import conflits
from ...services.noyau import Contexte, P, autorise
from ..champs import ChampCommune, ChampMotDePasse, ComboListe, champ_date
from ..conflit import DialogueConflit, montrer_conflit
from ..formulaire import Formulaire, signaler

AIDE_MDP = "8 à 20 caractères dont majuscule, minuscule et caractère spécial (exemple : . / ! * etc...)"
AIDE_DATE = "Exemple: 30/05/1998 (ou 30051998)"
AIDE_EMAIL = "Exemple: nom.prenom@domaine.fr"
STYLE_BANDEAU = ("background: #fff4d6; border: 1px solid #e0c068; border-radius: 4px; padding: 8px; "
                 "color: #4a3b00;")
# Identity fields and their double-entry partners: locked together after a first candidature.
CHAMPS_IDENTITE = (*IDENTITE, "nom_confirmation", "date_naissance_confirmation")


@dataclass(frozen=True)
class Listes:
    """The référentiel lists the account screens show, read once per area."""

    pays: list[tuple[str, str]]            # (libellé, code ISO), France first
    departements: list[tuple[str, str]]    # ("011 - AUDE", "11")

    @property
    def noms_pays(self) -> dict[str, str]:
        return {code: libelle for libelle, code in self.pays}

    @property
    def noms_departements(self) -> dict[str, str]:
        return {code: libelle for libelle, code in self.departements}


def charger_listes(ctx: Contexte) -> Listes:
    return Listes(
        pays=[(p.nom, p.code) for p in referentiel.pays(ctx)],
        departements=[(referentiel.libelle_departement(d), d.code) for d in referentiel.departements(ctx)],
    )


def _ligne(longueur: int) -> QLineEdit:
    w = QLineEdit()
    w.setMaxLength(longueur)
    return w




class FormulaireCompte(QWidget):
    """``compte_id`` None: creation; otherwise the modification of that account."""

    enregistre = Signal(int, object)   # account id, CompteCree on a creation (None on a modification)
    annule = Signal()

    def __init__(self, ctx: Contexte, listes: Listes, compte_id: int | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.listes = listes
        self.compte_id = compte_id
        self.row_version: int | None = None
        # What was shown when the account was opened: a refused save is compared with it.
        self._ouverture: conflits.InstantaneCompte | None = None
        self._ouverture_form: SaisieCompte | None = None
        self.dialogue_conflit: DialogueConflit | None = None
        creation = compte_id is None
        self.champs_libres = None if creation else comptes.champs_modifiables(ctx, compte_id)
        self.avec_motif = (not creation and autorise(ctx, P.COMPTES_CORRIGER)
                           and comptes.a_des_candidatures(ctx, compte_id))

        self.titre = QLabel("Nouveau compte candidat" if creation else "Modifier le compte candidat")
        self.titre.setObjectName("titre")
        intro = QLabel("Les champs avec * sont obligatoires. Saisissez l'état civil tel qu'il figure sur "
                       "la pièce d'identité du candidat.")
        intro.setWordWrap(True)
        self.bandeau = QLabel()
        self.bandeau.setWordWrap(True)
        self.bandeau.setStyleSheet(STYLE_BANDEAU)
        self.bandeau.setAccessibleName("Information sur la modification")
        self.bandeau.setVisible(False)

        self._construire_champs(creation)
        colonnes = QHBoxLayout()
        colonnes.setSpacing(16)
        gauche = QVBoxLayout()
        gauche.addWidget(self._groupe("État civil", self.f_etat_civil))
        groupe_motif = self._groupe("Correction d'identité", self.f_motif)
        groupe_motif.setVisible(self.avec_motif)   # only where the service may ask for a reason
        gauche.addWidget(groupe_motif)
        gauche.addStretch(1)
        droite = QVBoxLayout()
        droite.addWidget(self._groupe("Lieu de naissance", self.f_lieu))
        droite.addWidget(self._groupe("Adresse mail et mot de passe", self.f_connexion))
        droite.addStretch(1)
        colonnes.addLayout(gauche, 1)
        colonnes.addLayout(droite, 1)

        contenu = QWidget()
        box_contenu = QVBoxLayout(contenu)
        box_contenu.setContentsMargins(0, 0, 8, 0)
        box_contenu.addWidget(self.bandeau)
        box_contenu.addLayout(colonnes)
        box_contenu.addStretch(1)
        self.defilement = QScrollArea()
        self.defilement.setWidgetResizable(True)
        self.defilement.setFrameShape(QScrollArea.Shape.NoFrame)
        self.defilement.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.defilement.setWidget(contenu)

        self.message = QLabel()
        self.message.setAccessibleName("Message du formulaire")
        self.message.setStyleSheet("color: #b00020; font-weight: 600;")
        self.message.setWordWrap(True)
        self.bouton_enregistrer = QPushButton("&Enregistrer")
        self.bouton_enregistrer.setDefault(True)
        self.bouton_enregistrer.setToolTip("Enregistrer le compte (Ctrl+S)")
        self.bouton_enregistrer.clicked.connect(self.enregistrer)
        self.bouton_annuler = QPushButton("A&nnuler")
        self.bouton_annuler.setToolTip("Revenir sans rien enregistrer")
        self.bouton_annuler.clicked.connect(self.annule.emit)
        boutons = QHBoxLayout()
        boutons.addWidget(self.message, 1)
        boutons.addWidget(self.bouton_annuler)
        boutons.addWidget(self.bouton_enregistrer)

        box = QVBoxLayout(self)
        box.addWidget(self.titre)
        box.addWidget(intro)
        box.addWidget(self.defilement, 1)
        box.addLayout(boutons)
        raccourci = QShortcut(QKeySequence("Ctrl+S"), self)
        raccourci.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        raccourci.activated.connect(self.enregistrer)
        self.mdp2.returnPressed.connect(self.enregistrer)

        self._pays_change(self.pays.valeur())
        if creation:
            self.pays.choisir(PAYS_FRANCE)   # the usual answer at the counter, listed first
        else:
            self.charger()
        self._depart = self.saisie()

    def saisie_en_cours(self) -> bool:
        """Typed and not saved: closing the application asks first (MainWindow.closeEvent)."""
        return self.saisie() != self._depart or bool(self.motif.text().strip())

    # --- construction -----------------------------------------------------------------------
    @staticmethod
    def _groupe(titre: str, contenu: QWidget) -> QGroupBox:
        g = QGroupBox(titre)
        QVBoxLayout(g).addWidget(contenu)
        return g

    def _construire_champs(self, creation: bool) -> None:
        f = self.f_etat_civil = Formulaire()
        self.sexe = QComboBox()
        self.sexe.addItem("Madame", "F")
        self.sexe.addItem("Monsieur", "M")
        self.sexe.setPlaceholderText("Choisissez…")
        self.sexe.setCurrentIndex(-1)
        f.ajouter("sexe", "Sexe", self.sexe, obligatoire=True)
        self.nom = f.ajouter("nom", "Nom de famille", _ligne(80), aide="(Nom de naissance)", obligatoire=True)
        self.nom2 = f.ajouter("nom_confirmation", "Confirmation du nom de naissance", _ligne(80),
                              obligatoire=True)
        self.nom_usage = f.ajouter("nom_usage", "Nom d'usage", _ligne(80), aide="(Nom marital par exemple)")
        self.prenoms = f.ajouter("prenoms", "Prénoms", _ligne(120),
                                 aide="(tels qu'ils figurent sur la pièce d'identité)", obligatoire=True)
        self.date = f.ajouter("date_naissance", "Date de naissance", champ_date(), aide=AIDE_DATE, obligatoire=True)
        self.date2 = f.ajouter("date_naissance_confirmation", "Confirmation date de naissance", champ_date(),
                               aide=AIDE_DATE, obligatoire=True)

        f = self.f_lieu = Formulaire()
        self.pays = ComboListe(self.listes.pays, "Nom du pays")
        f.ajouter("pays_naissance", "Pays de naissance", self.pays, obligatoire=True)
        self.departement = ComboListe(self.listes.departements, "Numéro ou nom")
        f.ajouter("departement_naissance", "Département, DOM ou COM de naissance", self.departement,
                  obligatoire=True)
        self.commune = ChampCommune(self._chercher_communes)
        f.ajouter("commune_naissance", "Commune de naissance", self.commune, obligatoire=True,
                  aide="Champ de recherche fonction du département : tapez le début du nom puis choisissez dans la liste (anciennes communes comprises).")
        self.ville = f.ajouter("commune_naissance_etranger", "Ville de naissance (à l'étranger)", _ligne(120),
                               obligatoire=True)
        self.pays.valeur_changee.connect(self._pays_change)
        self.departement.valeur_changee.connect(self.commune.set_departement)

        f = self.f_connexion = Formulaire()
        self.email = f.ajouter("email", "Adresse mail", _ligne(254), aide=AIDE_EMAIL, obligatoire=True)
        self.email2 = f.ajouter("email_confirmation", "Confirmation de l'adresse mail", _ligne(254),
                                aide=AIDE_EMAIL, obligatoire=True)
        aide_mdp = AIDE_MDP if creation else "Laissez vide pour conserver le mot de passe actuel. " + AIDE_MDP
        self.mdp = f.ajouter("mot_de_passe", "Mot de passe", ChampMotDePasse(), aide=aide_mdp,
                             obligatoire=creation)
        self.mdp2 = f.ajouter("mot_de_passe_confirmation", "Confirmation du mot de passe", ChampMotDePasse(),
                              obligatoire=creation)

        self.f_motif = Formulaire()
        self.motif = self.f_motif.ajouter(
            "motif", "Motif de la correction", _ligne(300), obligatoire=True,
            aide="Exigé pour corriger l'identité : la correction est inscrite au journal d'audit.")
        self._formulaires = [self.f_etat_civil, self.f_lieu, self.f_connexion, self.f_motif]

    def _chercher_communes(self, departement: str, texte: str) -> list[tuple[int, str]]:
        try:
            return [(c.id, c.libelle) for c in referentiel.rechercher_communes(self.ctx, departement, texte)]
        except DomainError:
            return []   # the list simply stays empty; saving will say what is missing

    def _pays_change(self, code: str) -> None:
        france = code == PAYS_FRANCE
        self.f_lieu.visible("departement_naissance", france)
        self.f_lieu.visible("commune_naissance", france)
        self.f_lieu.visible("commune_naissance_etranger", bool(code) and not france)

    # --- modification: load the account, lock what may no longer change ---------------------
    def charger(self) -> None:
        assert self.compte_id is not None
        compte = comptes.obtenir(self.ctx, self.compte_id)
        self.row_version = compte.row_version
        commune = comptes.commune_du_compte(self.ctx, compte)
        s = comptes.saisie_depuis_compte(compte, commune.id if commune else None)
        self._ouverture = conflits.InstantaneCompte(s, compte.row_version, compte.commune_naissance or "")
        self.titre.setText(f"Modifier le compte N° {compte.numero_candidat} — {compte.nom} {compte.prenoms}")
        self.sexe.setCurrentIndex(self.sexe.findData(s.sexe))
        for champ, valeur in ((self.nom, s.nom), (self.nom2, s.nom_confirmation), (self.nom_usage, s.nom_usage),
                              (self.prenoms, s.prenoms), (self.date, s.date_naissance),
                              (self.date2, s.date_naissance_confirmation), (self.ville, s.commune_naissance_etranger),
                              (self.email, s.email), (self.email2, s.email_confirmation)):
            champ.setText(valeur)
        self.mdp.clear()
        self.mdp2.clear()
        self.motif.clear()
        self.pays.choisir(s.pays_naissance)
        self.departement.choisir(s.departement_naissance)
        if commune is not None:
            choix = referentiel.rechercher_communes(self.ctx, commune.departement, commune.nom)
            libelle = next((c.libelle for c in choix if c.id == commune.id), commune.nom)
            self.commune.afficher_choix(commune.departement, commune.id, libelle)
        self._verrouiller()
        self._ouverture_form = self.saisie()

    def _verrouiller(self) -> None:
        if self.avec_motif:
            self.bandeau.setText("Ce candidat a déjà une candidature : toute correction de son identité est "
                                 "inscrite au journal d'audit avec le motif indiqué. L'adresse mail et le mot "
                                 "de passe se modifient sans motif.")
            self.bandeau.setVisible(True)
        if self.champs_libres is None:
            return
        self.bandeau.setText(comptes.MESSAGE_VERROU)
        self.bandeau.setVisible(True)
        for cle in CHAMPS_IDENTITE:
            if cle in self.champs_libres:
                continue
            for f in self._formulaires:
                w = f.champs.get(cle)
                if isinstance(w, QLineEdit):
                    w.setReadOnly(True)    # greyed by the style sheet, still readable and copyable
                    w.setToolTip(comptes.MESSAGE_VERROU)
                elif w is not None:
                    w.setEnabled(False)
                    w.setToolTip(comptes.MESSAGE_VERROU)

    # --- saving -----------------------------------------------------------------------------
    def saisie(self) -> SaisieCompte:
        pays = self.pays.valeur()
        france = pays == PAYS_FRANCE
        sexe = self.sexe.currentData()
        return SaisieCompte(
            sexe="" if sexe is None else str(sexe),
            nom=self.nom.text(), nom_confirmation=self.nom2.text(), nom_usage=self.nom_usage.text(),
            prenoms=self.prenoms.text(), date_naissance=self.date.text(),
            date_naissance_confirmation=self.date2.text(), pays_naissance=pays,
            departement_naissance=self.departement.valeur() if france else "",
            commune_naissance=self.commune.commune_id if france else "",
            commune_naissance_etranger="" if france else self.ville.text(),
            email=self.email.text(), email_confirmation=self.email2.text(),
            mot_de_passe=self.mdp.text(), mot_de_passe_confirmation=self.mdp2.text(),
        )

    def enregistrer(self) -> None:
        self.message.clear()
        for f in self._formulaires:
            f.effacer_erreurs()
        try:
            if self.compte_id is None:
                cree = comptes.creer_compte(self.ctx, self.saisie())
                self.enregistre.emit(cree.id, cree)
            else:
                assert self.row_version is not None
                comptes.modifier_compte(self.ctx, self.compte_id, self.saisie(), row_version=self.row_version,
                                        motif=self.motif.text().strip() or None)
                self.enregistre.emit(self.compte_id, None)
        except ValidationError as exc:
            self.afficher_erreurs(exc)
        except ConflictError as exc:
            self._montrer_conflit(exc)
        except DomainError as exc:
            signaler(self, exc, titre="Enregistrement impossible")

    def afficher_erreurs(self, exc: ValidationError) -> None:
        orphelins = dict(exc.errors)
        # Last form first: each one puts the focus on its first error, the top-left one must win.
        for f in reversed(self._formulaires):
            part = {k: v for k, v in exc.errors.items() if k in f.champs}
            f.afficher_erreurs(part)
            for k in part:
                orphelins.pop(k, None)
        self.message.setText(exc.message)
        focus = self.focusWidget()
        if focus is not None:
            self.defilement.ensureWidgetVisible(focus)
        if orphelins:
            signaler(self, DomainError("\n".join(orphelins.values())), titre="Enregistrement impossible")

    def _montrer_conflit(self, exc: ConflictError) -> None:
        """Another workstation saved first: say who and what, keep the input until the user chooses."""
        if self._ouverture is None or self.compte_id is None:
            self._recharger_apres_conflit(exc)
            return
        mien = self.saisie()
        try:
            conflit = conflits.conflit_compte(self.ctx, self.compte_id, self._ouverture, mien,
                                              mien_ouverture=self._ouverture_form)
        except DomainError as autre:   # deleted meanwhile, or the database is unreachable
            signaler(self, autre, titre="Enregistrement impossible")
            return
        # The commune field shows a name for an id: remember the user's choice to show it again.
        commune = (self.departement.valeur(), self.commune.commune_id, self.commune.text())
        motif = self.motif.text()
        self.dialogue_conflit = montrer_conflit(
            self, conflit, reappliquer=lambda: self._reappliquer(conflit, commune, motif),
            abandonner=lambda: self._recharger_apres_conflit(None))

    def _reappliquer(self, conflit: conflits.Conflit, commune: tuple[str, str, str], motif: str) -> None:
        """The fresh account, with the user's changes on top, for review: nothing is saved here."""
        try:
            if conflits.instantane_compte(self.ctx, self.compte_id).row_version != conflit.row_version:  # type: ignore[arg-type]
                # Changed yet again since the dialog: compare anew rather than re-apply on a stale base.
                self._montrer_conflit(ConflictError("modifié de nouveau"))
                return
            self.champs_libres = comptes.champs_modifiables(self.ctx, self.compte_id)  # type: ignore[arg-type]
            self.charger()
        except DomainError as autre:
            signaler(self, autre, titre="Compte introuvable")
            return
        f: SaisieCompte = conflit.fusion
        self.sexe.setCurrentIndex(self.sexe.findData(f.sexe))
        for champ, valeur in ((self.nom, f.nom), (self.nom2, f.nom_confirmation), (self.nom_usage, f.nom_usage),
                              (self.prenoms, f.prenoms), (self.date, f.date_naissance),
                              (self.date2, f.date_naissance_confirmation), (self.ville, f.commune_naissance_etranger),
                              (self.email, f.email), (self.email2, f.email_confirmation),
                              (self.mdp, f.mot_de_passe), (self.mdp2, f.mot_de_passe_confirmation)):
            if champ.text() != valeur:
                champ.setText(valeur)
        self.pays.choisir(f.pays_naissance)
        if f.departement_naissance:
            self.departement.choisir(f.departement_naissance)
        if f.commune_naissance and f.commune_naissance != self.commune.commune_id \
                and f.commune_naissance == commune[1]:
            self.commune.afficher_choix(commune[0], int(commune[1]), commune[2])
        self.motif.setText(motif)
        self.message.setText("Le compte a été rechargé avec les modifications de l'autre poste ; les vôtres ont "
                             "été réappliquées. Vérifiez puis enregistrez.")

    def _recharger_apres_conflit(self, exc: ConflictError | None) -> None:
        try:
            self.champs_libres = comptes.champs_modifiables(self.ctx, self.compte_id)  # type: ignore[arg-type]
            self.charger()
        except DomainError as autre:   # deleted meanwhile: say that instead
            signaler(self, autre, titre="Compte introuvable")
            return
        if exc is None:
            self.message.setText("Vos modifications ont été abandonnées : le formulaire montre le compte tel "
                                 "qu'il est enregistré.")
            return
        signaler(self, DomainError(f"{exc.message}\n\nLe formulaire vient d'être rechargé avec les données "
                                   "actuelles du compte."), titre="Compte modifié par un autre poste")

