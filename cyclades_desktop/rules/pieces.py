"""Pièces justificatives (docs/domaine/justificatifs.md): which pieces a candidature needs, their
statuses and what each status change requires. Pure: plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .temps import JOURS, MOIS, dans_le_delai, format_date_heure, jour_dans_le_delai, normaliser_date, paris
from .texte import chiffres_ascii, verifier_caracteres


class StatutPiece(StrEnum):
    """Stored in ``justificatif.statut``, set by the gestionnaire (docs/domaine/justificatifs.md#statuts);
    empty while nobody has looked at the piece."""

    AUCUN = ""
    EN_ATTENTE_CONTROLE = "en_attente_controle"
    RECUE = "recue"
    CONFORME = "conforme"
    NON_CONFORME = "non_conforme"
    NOUVELLE_PJ = "nouvelle_pj"

    @property
    def libelle(self) -> str:
        return STATUTS[self]


# Short names kept for the some 150 places (services, screens, tests) that compare statuses.
AUCUN = StatutPiece.AUCUN
EN_ATTENTE_CONTROLE = StatutPiece.EN_ATTENTE_CONTROLE
RECUE = StatutPiece.RECUE
CONFORME = StatutPiece.CONFORME
NON_CONFORME = StatutPiece.NON_CONFORME
NOUVELLE_PJ = StatutPiece.NOUVELLE_PJ
STATUTS: dict[str, str] = {
    AUCUN: "(aucun)",
    EN_ATTENTE_CONTROLE: "En attente de contrôle",
    RECUE: "Reçue",
    CONFORME: "Conforme",
    NON_CONFORME: "Non conforme",
    NOUVELLE_PJ: "En attente d'une nouvelle PJ",
}
# One key per status in the reviewers' grid.
TOUCHES = {"0": AUCUN, "A": EN_ATTENTE_CONTROLE, "R": RECUE, "C": CONFORME, "N": NON_CONFORME, "P": NOUVELLE_PJ}
# Statuses that reopen a validated group for that piece: the candidate deposits again.
A_REDEPOSER = (NON_CONFORME, NOUVELLE_PJ)

class ModeDepot(StrEnum):
    """Stored in ``justificatif.mode_depot``: how the candidate hands the piece in (see ``mode_de``)."""

    EN_LIGNE = "en ligne"
    COURRIER = "courrier"

    @property
    def libelle(self) -> str:
        return LIBELLES_MODES[self]


EN_LIGNE = ModeDepot.EN_LIGNE
COURRIER = ModeDepot.COURRIER
LIBELLES_MODES: dict[str, str] = {EN_LIGNE: "A déposer en ligne", COURRIER: "A envoyer par voie postale"}

MOTIFS_NON_CONFORMITE = (
    "Document illisible",
    "Document incomplet (pages manquantes)",
    "Document non signé",
    "Document périmé",
    "Le document ne correspond pas à la pièce demandée",
    "Nom ou prénom différent de celui de l'inscription",
    "Récapitulatif non signé par le représentant légal (candidat mineur)",
    "Corrections du récapitulatif non portées en rouge",
)


# Every « condition_cle » of pieces.json this module understands, in clear French (shown and chosen in
# the Référentiel). A key absent from here never requires its piece.
CONDITIONS: dict[str, str] = {
    "always": "Toujours exigée",
    "individuel": "Candidat individuel",
    "age_16_25_francais": "Candidat de nationalité française âgé de 16 à 24 ans le jour de l'inscription",
    "has_acquis": "Le candidat déclare des acquis (bénéfices de notes, dispenses, VAE)",
    "dispense_certification_europeenne": "Dispense demandée au titre d'une certification européenne",
    "handicap": "Candidat en situation de handicap bénéficiant déjà d'un aménagement",
    "handicap_nouvelle_demande": "Nouvelle demande d'aménagement : faite sur l'application académique, "
                                 "jamais demandée ici",
    "secteur_industriel": "Spécialité du secteur industriel exigeant l'attestation R.408",
    "individuel_bcp": "Candidat individuel au baccalauréat professionnel",
    "individuel_mc_cs": "Candidat individuel à une mention complémentaire ou un certificat de spécialisation",
    "bp_pratique_professionnelle": "Candidat au brevet professionnel, hors apprentis et scolaires",
    "pfmp_requise": "Spécialité dont une épreuve s'appuie sur la PFMP (pas encore demandée automatiquement)",
}


@dataclass(frozen=True)
class Situation:
    """What a candidature says about the conditions of pieces.json (« condition_cle »)."""

    domaine: str
    individuel: bool
    famille: str
    nationalite: str
    age: int                      # on the day of registration
    a_des_acquis: bool
    certification_europeenne: bool
    handicap: bool
    secteur_industriel: bool


@dataclass(frozen=True)
class PieceCatalogue:
    code: str
    libelle: str
    condition_cle: str
    mode_depot: str | None
    domaines: tuple[str, ...]


def condition_remplie(cle: str, s: Situation) -> bool:
    """pieces.json « condition_cle ». Unknown keys never require a piece (the chef de bureau sees them
    in the référentiel and can correct them)."""
    regles = {
        "always": True,
        "individuel": s.individuel,
        "age_16_25_francais": s.nationalite == "FR" and 16 <= s.age < 25,
        "has_acquis": s.a_des_acquis,
        "dispense_certification_europeenne": s.certification_europeenne,
        "handicap": s.handicap,
        # A new request goes through the académie's own application (Amex), not through a pièce here.
        "handicap_nouvelle_demande": False,
        "secteur_industriel": s.secteur_industriel,
        "individuel_bcp": s.individuel and s.domaine == "BCP",
        "individuel_mc_cs": s.individuel and s.domaine in ("MC", "CS"),
        "bp_pratique_professionnelle": s.domaine == "BP" and s.famille not in ("apprenti", "scolaire"),
        "pfmp_requise": False,
    }
    return regles.get(cle, False)


def mode_de(piece: PieceCatalogue) -> str:
    """« en ligne … » deposits online; anything else (courrier, autres modalités, unknown) is posted."""
    return EN_LIGNE if (piece.mode_depot or "").startswith(EN_LIGNE) else COURRIER


def pieces_exigees(catalogue: list[PieceCatalogue], s: Situation) -> list[PieceCatalogue]:
    return [p for p in catalogue if (not p.domaines or s.domaine in p.domaines) and condition_remplie(p.condition_cle, s)]


def verifier_statut(statut: str, *, commentaire: str | None, date_reception: date | None,
                    aujourd_hui: date, date_cachet: date | None = None) -> dict[str, str]:
    """What each status needs (docs/domaine/justificatifs.md#statuts): a reception date for Reçue, a
    comment for the refusals; a postmark, when given, consistent with the reception."""
    e: dict[str, str] = {}
    if statut not in STATUTS:
        e["statut"] = "Statut inconnu."
    if statut == RECUE:
        if date_reception is None:
            e["date_reception"] = "Indiquez la date de réception."
        elif date_reception > aujourd_hui:
            e["date_reception"] = "La date de réception ne peut pas être dans le futur."
    if statut in A_REDEPOSER and not (commentaire or "").strip():
        e["commentaire"] = "Indiquez la raison : elle sera lue par le candidat."
    if date_cachet is not None and (m := verifier_cachet(date_cachet, date_reception, aujourd_hui)):
        e["date_cachet"] = m
    if m := verifier_caracteres(commentaire):
        e["commentaire"] = m
    return e


# --- postal returns: « le cachet de la poste faisant foi » (docs/domaine/justificatifs.md#courrier) ----

def lire_date(texte: str | None) -> date | None:
    """« 09/12/2024 » (or « 09122024 ») → date; None when the text is not a real jj/mm/aaaa date."""
    parties = normaliser_date(texte).split("/")
    if len(parties) != 3 or [len(p) for p in parties] != [2, 2, 4] or not all(chiffres_ascii(p) for p in parties):
        return None
    try:
        return date(int(parties[2]), int(parties[1]), int(parties[0]))
    except ValueError:
        return None


FORMAT_DATE = "Saisissez une date réelle au format jj/mm/aaaa (exemple : 09/12/2024)."


def verifier_cachet(date_cachet: date, date_reception: date | None, aujourd_hui: date) -> str | None:
    """The postmark, optional: never in the future, never after the envelope arrived."""
    if date_cachet > aujourd_hui:
        return "La date du cachet de la poste ne peut pas être dans le futur."
    if date_reception is not None and date_cachet > date_reception:
        return "La date du cachet de la poste ne peut pas être postérieure à la date de réception."
    return None


def recue_a_temps(date_reception: date | None, date_cachet: date | None, echeance: datetime) -> bool:
    """A posted piece arrived in time: its postmark when there is one, else its reception date, on or
    before the deadline's Paris day."""
    return date_reception is not None and jour_dans_le_delai(date_cachet or date_reception, echeance)


def libelle_groupe(mode: str, ouverture: datetime | None, echeance: datetime) -> str:
    """« A déposer en ligne entre le mardi 30 août 2022 et le vendredi 21 octobre 2022 23:59 (heure/Paris) »."""
    fin = _jour(echeance) + f" {paris(echeance):%H:%M} (heure/Paris)"
    if mode == EN_LIGNE and ouverture is not None:
        return f"{LIBELLES_MODES[EN_LIGNE]} entre le {_jour(ouverture)} et le {fin}"
    return f"{LIBELLES_MODES.get(mode, LIBELLES_MODES[COURRIER])} au plus tard le {fin}"


def _jour(dt: datetime) -> str:
    p = paris(dt)
    return f"{JOURS[p.weekday()]} {p.day} {MOIS[p.month - 1]} {p.year}"


# --- deposits: who may still add a file or validate a group -----------------------------------------

def cle_groupe(mode: str, echeance: datetime) -> str:
    """Pieces are deposited and validated by group: the same mode and the same deadline (Paris minute)."""
    return f"{mode}|{paris(echeance):%Y-%m-%dT%H:%M}"


def refus_depot(mode_depot: str, statut: str, valide_le: datetime | None, echeance: datetime,
                maintenant: datetime, active: bool) -> str | None:
    """Why a file may not be added to (or removed from) this piece now; None when it may."""
    if not active:
        return "Cette candidature n'est plus active."
    if mode_depot != EN_LIGNE:
        return "Cette pièce est à envoyer par voie postale : enregistrez sa date de réception."
    if statut in A_REDEPOSER:
        return None      # the gestionnaire asked for this piece again, whatever the deadline
    if valide_le is not None:
        return (f"Le groupe de pièces a été validé le {format_date_heure(valide_le)} (heure de Paris) : "
                "les fichiers ne peuvent plus être modifiés.")
    if not dans_le_delai(maintenant, echeance):
        return f"La date limite de dépôt est passée ({format_date_heure(echeance)}, heure de Paris)."
    return None


@dataclass(frozen=True)
class PieceDeposee:
    """What the validation of a group needs to know of each of its pieces."""

    code: str
    statut: str
    valide_le: datetime | None
    a_un_fichier: bool            # an active file is deposited


def refus_validation(mode_depot: str, echeance: datetime, pieces: Sequence[PieceDeposee], maintenant: datetime,
                     active: bool) -> str | None:
    """Why « J'ai fourni toutes mes pièces » is refused for a group (its mode and deadline); None when allowed."""
    if not active:
        return "Cette candidature n'est plus active."
    if mode_depot != EN_LIGNE:
        return "Les pièces à envoyer par voie postale ne se valident pas en ligne."
    a_valider = [p for p in pieces if p.valide_le is None]
    if not a_valider:
        return "Toutes les pièces de ce groupe sont déjà validées."
    manquantes = [p.code for p in a_valider if not p.a_un_fichier]
    if manquantes:
        return "Ajoutez d'abord un fichier pour : " + ", ".join(manquantes) + "."
    if not dans_le_delai(maintenant, echeance) and any(p.statut not in A_REDEPOSER for p in a_valider):
        return f"La date limite de dépôt est passée ({format_date_heure(echeance)}, heure de Paris)."
    return None
