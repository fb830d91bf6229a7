"""« Code d'activation de votre compte »: the slip printed at the counter when the candidate cannot count
on the e-mail (no mail server, message still in the outbox, address refused). It carries the code the
account was created with, printed here and nowhere else (docs/domaine/comptes.md#activation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm

from ..rules.temps import format_date_heure
from . import pdf
from .donnees import EnTeteBureau
from .page_directe import Redaction, en_octets
from .pdf import MARGE, PAGE, POLICE, POLICE_GRAS, typo

TITRE = "Code d'activation de votre compte"
TEXTE_ACTIVER = ("Votre inscription à un examen ne sera possible qu'une fois votre compte activé. Communiquez ce "
                 "code à l'accueil du service des examens, ou saisissez-le à votre prochaine visite.")
TEXTE_DELAI = "Passé ce délai, les informations de votre compte seront effacées et il faudra le créer de nouveau."
TEXTE_SECRET = "Ce code est personnel : ne le communiquez qu'au service des examens."


@dataclass(frozen=True)
class DonneesCodeActivation:
    bureau: EnTeteBureau
    nom: str
    prenoms: str
    numero_candidat: str
    identifiant: str                 # the account's e-mail, its login
    code: str
    limite: datetime                 # aware: 48 h after the creation
    imprime_le: datetime             # aware


def rendre_code_activation(d: DonneesCodeActivation, *, compression: bool = pdf.COMPRESSION) -> bytes:
    def dessiner(canvas: object) -> None:
        r = Redaction(canvas, pied=f"N° candidat {d.numero_candidat} – imprimé le "  # type: ignore[arg-type]
                                   f"{format_date_heure(d.imprime_le)} (heure de Paris)")
        if d.bureau.academie:
            r.ligne(((d.bureau.academie.upper(), POLICE_GRAS),), 10, 13)
        for i, ligne in enumerate(d.bureau.lignes):
            r.ligne(((ligne, POLICE_GRAS if i == 0 else POLICE),), 8.5, 10.4)
        if d.bureau.telephone:
            r.ligne(typo(f"Tél : {d.bureau.telephone}"), 8.5, 10.4)
        r.y -= 8 * mm
        r.ligne(((TITRE, POLICE_GRAS),), 14, 20)
        r.y -= 4
        r.ligne(((typo(f"{d.nom.upper()} {d.prenoms}"), POLICE_GRAS),), 10, 14)
        r.ligne(((typo("N° candidat : "), POLICE), (d.numero_candidat, POLICE_GRAS)), 10, 14)
        r.ligne(((typo("Identifiant (adresse mail) : "), POLICE), (d.identifiant, POLICE_GRAS)), 10, 14)
        r.y -= 6 * mm
        # The code, large and boxed: it is read out or typed letter by letter.
        hauteur = 16 * mm
        r.cadre(MARGE, r.y - hauteur, PAGE[0] - 2 * MARGE, hauteur, fond=pdf.GRIS_FOND)
        r.texte(MARGE + 5 * mm, r.y - 10.5 * mm, ((typo("Code d'activation : "), POLICE), (d.code, POLICE_GRAS)),
                18)
        r.y -= hauteur + 6 * mm
        r.paragraphe(TEXTE_ACTIVER, 10, 13)
        r.y -= 3
        r.paragraphe(f"Ce code est valable 48 heures : activez votre compte avant le "
                     f"{format_date_heure(d.limite)} (heure de Paris).", 10, 13, police=POLICE_GRAS)
        r.paragraphe(TEXTE_DELAI, 10, 13)
        r.y -= 3
        r.paragraphe(TEXTE_SECRET, 9, 12, couleur=pdf.GRIS_TEXTE)
        r.terminer()

    return en_octets(dessiner, titre=f"{TITRE} N° {d.numero_candidat}",
                     auteur=d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else ""),
                     sujet="Activation du compte candidat", compression=compression)
