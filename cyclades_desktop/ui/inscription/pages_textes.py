"""The text tabs: 1 Modalités d'inscription, 8 Conditions d'inscription (the portal's text, verbatim) and
9 N° Inscription, shown once Enregistrer has succeeded."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ...rules import inscriptions as regles
from ...rules.temps import paris
from ...services import referentiel
from ...services.publications import documents as publications
from .champs import STYLE_NOTE, CaseAcceptation, paragraphe, section
from .commun import Assistant, PageOnglet

if TYPE_CHECKING:
    from ...services.inscriptions import Enregistrement

TEXTE_MODALITES = (
    "Avant de commencer, prenez connaissance des modalités d'inscription suivantes.",
    "Identité. Les données personnelles de votre compte candidat (civilité, nom, prénoms, date et lieu de "
    "naissance, adresse mail) sont reprises automatiquement et ne peuvent pas être modifiées dans ce "
    "formulaire. Si elles sont erronées, elles se corrigent par « Modifier le compte » tant qu'aucune "
    "candidature n'est enregistrée ; ensuite, seul le service gestionnaire peut les corriger.",
    "Période. {periode} Jusqu'à la clôture, vous pourrez consulter et modifier votre candidature ; chaque "
    "modification enregistrée donne une nouvelle version du récapitulatif.",
    "Saisie. Renseignez les onglets dans l'ordre avec le bouton « Suivant ». Rien n'est enregistré avant le "
    "bouton « Enregistrer » de l'onglet « Conditions d'inscription » : quitter avant abandonne la saisie.",
    "Documents. Une fois l'inscription enregistrée, le récapitulatif de votre candidature est disponible dans "
    "« Mes documents ». Vérifiez-le, signez-le (signature du représentant légal pour un candidat mineur) et "
    "retournez-le au service des examens avec les pièces justificatives qui vous seront demandées, dans les "
    "délais indiqués. À défaut, votre candidature pourra être annulée.",
)
ACCEPTER_MODALITES = "J'ai lu et j'accepte les modalités d'inscription"

TEXTE_CONDITIONS = (
    "Les conditions exigées pour la recevabilité de votre dossier de candidature vont être vérifiées, par "
    "l'administration, en tenant compte de l'ensemble des pièces justificatives que vous devez fournir.",
    "En conséquence :",
    "- Lorsque le contrôle des pièces fournies montre que vous ne remplissez pas les conditions pour faire "
    "acte de candidature, votre dossier de candidature ne sera pas retenu, que vous ayez été ou non de bonne "
    "foi;",
    "- En cas de fausses déclarations, vous êtes passible des sanctions pénales prévues par les articles "
    "441-6 et 441-7 du code pénal.",
)
ENGAGEMENT_CONDITIONS = (
    "En cochant cette case, je m'engage à fournir au service chargé de mon inscription, à la date qui me sera "
    "indiquée, toutes les pièces justificatives qui me seront demandées; Je reconnais avoir pris connaissance "
    "des conditions d'inscription et j'accepte de me conformer aux présentes dispositions.")
NOTE_PIECES = ("La liste des pièces justificatives indispensables pour la suite de l'examen sera ajoutée "
               "à « Mes documents » dès que le service l'aura établie.")
# The check box's accessible name: the engagement itself is its description and its visible text.
ACCEPTER_CONDITIONS = "J'accepte les conditions d'inscription"

DOCUMENTS_ANNONCES = {
    "Récapitulatif de votre candidature": "Le récapitulatif de votre candidature",
    "Demande pièces justificatives": "La liste des pièces justificatives indispensables pour la suite de "
                                     "l'examen.",
}


class PageModalites(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.MODALITES)
        self.corps.addWidget(section("Modalités d'inscription"))
        for texte in TEXTE_MODALITES:
            self.corps.addWidget(paragraphe(texte.format(periode=assistant.demarrage.texte_periode)))
        self.acceptation = CaseAcceptation("J'&ai lu et j'accepte les modalités d'inscription",
                                           ACCEPTER_MODALITES, court=True)
        self.case = self.acceptation.case
        self.corps.addWidget(self.acceptation)
        self.corps.addStretch(1)

    def charger(self, s: regles.SaisieCandidature) -> None:
        self.case.setChecked(s.modalites_acceptees)

    def collecter(self, s: regles.SaisieCandidature) -> None:
        s.modalites_acceptees = self.case.isChecked()

    def erreurs_propres(self, erreurs: dict[str, str]) -> list[str]:
        self.acceptation.montrer_erreur(erreurs.pop("modalites_acceptees", None))
        return list(erreurs.values())


class PageConditions(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.CONDITIONS)
        for texte in TEXTE_CONDITIONS:
            self.corps.addWidget(paragraphe(texte))
        self.acceptation = CaseAcceptation(ENGAGEMENT_CONDITIONS, ACCEPTER_CONDITIONS)
        self.acceptation.libelle.setText(ENGAGEMENT_CONDITIONS.replace("En cochant", "En &cochant", 1))
        self.case = self.acceptation.case
        self.case.toggled.connect(lambda _c: assistant.mettre_a_jour_boutons())
        self.corps.addWidget(self.acceptation)
        self.corps.addWidget(paragraphe("Cochez la case puis cliquez sur « Enregistrer » pour valider "
                                        "l'inscription.", STYLE_NOTE))
        self.corps.addStretch(1)

    def charger(self, s: regles.SaisieCandidature) -> None:
        self.case.setChecked(s.conditions_acceptees)

    def collecter(self, s: regles.SaisieCandidature) -> None:
        s.conditions_acceptees = self.case.isChecked()

    def erreurs_propres(self, erreurs: dict[str, str]) -> list[str]:
        self.acceptation.montrer_erreur(erreurs.pop("conditions_acceptees", None))
        return list(erreurs.values())

    def isComplete(self) -> bool:
        # Suivant stays off here: only Enregistrer leads to the last tab (before as after a first save).
        return False


class PageNumero(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.NUMERO)
        self.corps.addWidget(section("Votre numéro d'inscription"))
        self.texte = QLabel()
        self.texte.setWordWrap(True)
        self.texte.setTextFormat(Qt.TextFormat.RichText)
        self.texte.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.texte.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.texte.setAccessibleName("Numéro d'inscription")
        self.texte.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.corps.addWidget(self.texte)
        self.corps.addStretch(1)

    def afficher(self, e: Enregistrement, modification: bool) -> None:
        quand = paris(e.inscrit_le)
        if modification:
            maintenant = paris(self.assistant.ctx.clock.now())
            premiere = (f"La modification de votre inscription a bien été prise en compte le "
                        f"{maintenant:%d/%m/%Y} à {maintenant:%H:%M} (version n° {e.version} du dossier).")
        else:
            premiere = f"Votre inscription a bien été prise en compte le {quand:%d/%m/%Y} à {quand:%H:%M}."
        cloture = paris(e.cloture)
        documents = [DOCUMENTS_ANNONCES.get(d, d) for d in e.documents]
        parties = [
            escape(premiere),
            f"Votre numéro candidat : <b>{escape(e.numero_candidat)}</b>",
            f"Votre numéro d'inscription : <b>{escape(e.numero_inscription)}</b>",
            escape("Vous pourrez consulter et, éventuellement, modifier les données de votre dossier avant la "
                   f"fermeture du service fixée le : {cloture:%d/%m/%Y} à {cloture:%H:%M}."),
            escape("Vous devez impérativement prendre connaissance et conserver les documents suivants :")
            + "<ul>" + "".join(f"<li>{escape(d)}</li>" for d in documents) + "</ul>",
        ]
        if "Demande pièces justificatives" not in e.documents:
            parties.append(f"<span style='color:#555'>{escape(NOTE_PIECES)}</span>")
        parties.append(escape(
            "Ces documents sont mis à votre disposition dans votre espace candidat, menu « Mes documents ». "
            "Vous pouvez également éditer le récapitulatif de votre candidature au format pdf à l'aide du "
            "bouton « Visualiser/imprimer », ou à défaut l'enregistrer."))
        parties.append(escape("Pour tout renseignement, vous pouvez contacter le service des examens et "
                              "concours dont vous dépendez :") + "<br>" + self._contact())
        self.texte.setText("".join(f"<p>{p}</p>" for p in parties))

    def _contact(self) -> str:
        try:
            b = referentiel.bureau(self.assistant.ctx)
        except LookupError:
            return ""
        t = publications.en_tete_bureau(b)
        lignes = [b.academie.upper(), *t.lignes]
        if t.telephone:
            lignes.append(f"Tel : {t.telephone}")
        if t.email:
            lignes.append(t.email)
        return "<br>".join(escape(x) for x in lignes)
