"""Concurrent edits: what someone else changed while this workstation had the record open.

A screen keeps what it showed when it opened a record (the *instantané*, in the key space of its
form: ``SaisieCompte``, ``SaisieCandidature``, a piece's status). When its save is refused because
the row version moved on (``ConflictError``), it asks here for a :class:`Conflit`: who changed the
record and when (the latest audit row about it), what they changed field by field (value when
opened, value now, the user's value), and the *fusion*: the fresh record with the user's own
changes re-applied where they do not collide. Nothing here saves: the screen shows the fusion for
review and the user saves again, against the fresh row version."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ..models import AuditEntry
from ..models.staff import Agent
from ..rules import inscriptions as regles_inscriptions
from ..rules import pieces as regles_pieces
from ..rules.comptes import SaisieCompte
from ..rules.temps import format_date, format_date_heure
from . import comptes, controle, inscriptions
from .contexte import Contexte

VIDE = "(vide)"


@dataclass(frozen=True)
class ChangementConcurrent:
    """One field the other workstation changed."""

    champ: str
    libelle: str
    a_l_ouverture: str       # as shown when this workstation opened the record
    maintenant: str          # as saved by the other workstation
    votre_valeur: str        # what this workstation typed (same as a_l_ouverture when untouched)
    vous_l_aviez_modifie: bool
    collision: bool          # both changed it, to different values: theirs is kept, yours is shown


@dataclass(frozen=True)
class Conflit:
    entite: str                                   # "candidature", "compte", "justificatif"
    entite_id: int
    titre: str                                    # « Compte N° 24000123 »
    auteur: str | None                            # « Carole DANO (chef) »
    modifie_le: datetime | None                   # UTC; shown in Paris time
    changements: tuple[ChangementConcurrent, ...]
    reappliques: tuple[str, ...]                  # libellés of the user's changes re-applied
    non_reappliques: tuple[str, ...]              # libellés where the other change was kept
    fusion: Any                                   # the form's values to show for review
    row_version: int                              # the fresh row version to save against
    frais: Any = None                             # extra fresh data the screen needs (Demarrage…)
    feminin: bool = False                         # « la candidature a été modifiée »

    @property
    def phrase(self) -> str:
        """« La candidature N° … a été modifiée sur un autre poste par … le … »."""
        qui = f" par {self.auteur}" if self.auteur else ""
        quand = f" le {self.quand}" if self.quand else ""
        return f"{self.titre} a été modifié{'e' if self.feminin else ''} sur un autre poste{qui}{quand}"

    @property
    def quand(self) -> str:
        """« 10/11/2024 à 11:00 (heure de Paris) », or empty when no audit row says."""
        if self.modifie_le is None:
            return ""
        return f"{format_date_heure(self.modifie_le)} (heure de Paris)"


# --- the comparison, independent of the record's kind --------------------------------------------

def texte_valeur(v: Any) -> str:
    """A value as the dialog shows it."""
    if v is None or v == "" or v == [] or v == {}:
        return VIDE
    if isinstance(v, bool):
        return "Oui" if v else "Non"
    if isinstance(v, datetime):
        return format_date_heure(v)
    if isinstance(v, date):
        return format_date(v)
    if isinstance(v, list | tuple):
        return f"{len(v)} élément{'s' if len(v) > 1 else ''}"
    return str(v)


@dataclass(frozen=True)
class Comparaison:
    changements: tuple[ChangementConcurrent, ...]
    valeurs: dict[str, Any]          # the fusion, as a field → value mapping
    reappliques: tuple[str, ...]
    non_reappliques: tuple[str, ...]


def comparer(ouverture: Mapping[str, Any], maintenant: Mapping[str, Any], mien: Mapping[str, Any], *,
             libelles: Mapping[str, str], mien_ouverture: Mapping[str, Any] | None = None,
             caches: frozenset[str] = frozenset(),
             texte: Callable[[str, Any], str] = lambda _k, v: texte_valeur(v)) -> Comparaison:
    """Three-way comparison. ``ouverture``/``maintenant`` are the record as the service gave it
    when opened and now; ``mien`` the form's values at save and ``mien_ouverture`` the form's values
    right after it was filled (the form may normalise what it shows: comparing the form with itself
    finds exactly what the user typed). ``caches`` are compared and re-applied but never shown
    (password fields, confirmation twins)."""
    mien_ouverture = ouverture if mien_ouverture is None else mien_ouverture
    valeurs = dict(maintenant)
    changements: list[ChangementConcurrent] = []
    reappliques: list[str] = []
    non_reappliques: list[str] = []
    for k in maintenant:
        eux = ouverture.get(k) != maintenant.get(k)
        moi = mien_ouverture.get(k) != mien.get(k)
        collision = eux and moi and mien.get(k) != maintenant.get(k)
        libelle = libelles.get(k, k)
        if moi:
            if collision:
                non_reappliques.append(libelle)
            else:
                valeurs[k] = mien.get(k)
                if k not in caches and not eux:
                    reappliques.append(libelle)
        if eux and k not in caches:
            changements.append(ChangementConcurrent(
                k, libelle, texte(k, ouverture.get(k)), texte(k, maintenant.get(k)),
                texte(k, mien.get(k) if moi else ouverture.get(k)), moi, collision))
    return Comparaison(tuple(changements), valeurs, tuple(dict.fromkeys(reappliques)),
                       tuple(dict.fromkeys(non_reappliques)))


def dernier_auteur(ctx: Contexte, entite: str, entite_id: int) -> tuple[str | None, datetime | None]:
    """Who last changed the record and when, from the audit trail."""
    with ctx.lecture() as s:
        row = s.execute(select(AuditEntry.agent_login, AuditEntry.agent_id, AuditEntry.horodatage)
                        .where(AuditEntry.entite == entite, AuditEntry.entite_id == str(entite_id))
                        .order_by(AuditEntry.horodatage.desc(), AuditEntry.id.desc()).limit(1)).first()
        if row is None:
            return None, None
        login, agent_id, quand = row
        agent = s.get(Agent, agent_id) if agent_id else None
    nom = f"{agent.prenom} {agent.nom.upper()} ({login})" if agent is not None else login
    return nom, quand


def _dict(saisie: Any) -> dict[str, Any]:
    # Shallow on purpose: nested lists (acquis, choix) compare by value and are re-applied whole.
    return {f.name: getattr(saisie, f.name) for f in fields(saisie)}


# --- accounts ------------------------------------------------------------------------------------

LIBELLES_COMPTE = {
    # The form's own labels (ui/comptes/formulaire_compte.py).
    "sexe": "Sexe", "nom": "Nom de famille", "nom_confirmation": "Confirmation du nom de naissance",
    "nom_usage": "Nom d'usage", "prenoms": "Prénoms", "date_naissance": "Date de naissance",
    "date_naissance_confirmation": "Confirmation date de naissance", "pays_naissance": "Pays de naissance",
    "departement_naissance": "Département, DOM ou COM de naissance", "commune_naissance": "Commune de naissance",
    "commune_naissance_etranger": "Ville de naissance (à l'étranger)", "email": "Adresse mail",
    "email_confirmation": "Confirmation de l'adresse mail", "mot_de_passe": "Mot de passe",
    "mot_de_passe_confirmation": "Confirmation du mot de passe",
}
_CACHES_COMPTE = frozenset({"nom_confirmation", "date_naissance_confirmation", "email_confirmation",
                            "mot_de_passe", "mot_de_passe_confirmation"})


@dataclass(frozen=True)
class InstantaneCompte:
    saisie: SaisieCompte
    row_version: int
    commune: str          # the commune's name, for the dialog (the form holds its id)


def instantane_compte(ctx: Contexte, compte_id: int) -> InstantaneCompte:
    """The account as its form shows it, with the row version to save against."""
    compte = comptes.obtenir(ctx, compte_id)
    commune = comptes.commune_du_compte(ctx, compte)
    return InstantaneCompte(comptes.saisie_depuis_compte(compte, commune.id if commune else None),
                            compte.row_version, compte.commune_naissance or "")


def conflit_compte(ctx: Contexte, compte_id: int, ouverture: InstantaneCompte, mien: SaisieCompte, *,
                   mien_ouverture: SaisieCompte | None = None) -> Conflit:
    frais = instantane_compte(ctx, compte_id)

    def texte(k: str, v: Any) -> str:
        if k == "commune_naissance" and v:
            # The form holds the commune's id: show its name, as it was and as it is.
            if v == frais.saisie.commune_naissance:
                return frais.commune
            if v == ouverture.saisie.commune_naissance:
                return ouverture.commune
        if k == "sexe" and v:
            return {"M": "Masculin", "F": "Féminin"}.get(v, v)
        return texte_valeur(v)

    cmp = comparer(_dict(ouverture.saisie), _dict(frais.saisie), _dict(mien), libelles=LIBELLES_COMPTE,
                   mien_ouverture=_dict(mien_ouverture) if mien_ouverture is not None else None,
                   caches=_CACHES_COMPTE, texte=texte)
    auteur, quand = dernier_auteur(ctx, "compte", compte_id)
    numero = comptes.obtenir(ctx, compte_id).numero_candidat
    return Conflit("compte", compte_id, f"Le compte N° {numero}", auteur, quand, cmp.changements,
                   cmp.reappliques, cmp.non_reappliques, SaisieCompte(**cmp.valeurs), frais.row_version, frais)


# --- candidatures --------------------------------------------------------------------------------

LIBELLES_CANDIDATURE = {
    # The wizard's own labels (ui/inscription/), shortened where they are whole sentences.
    "modalites_acceptees": "Modalités acceptées", "adresse_pays": "Pays",
    "adresse_voie": "Numéro, rue, voie", "adresse_complement1": "Complément adresse 1",
    "adresse_complement2": "Complément adresse 2", "adresse_complement3": "Complément adresse 3",
    "code_postal": "Code postal", "localite": "Localité", "commune_code": "Commune (code INSEE)",
    "nationalite": "Nationalité", "telephone_mobile": "Téléphone personnel mobile",
    "telephone_fixe": "Téléphone personnel", "categorie_code": "Catégorie du candidat",
    "situation_code": "Situation à l'inscription", "amenagement_duree": "Aménagement de la durée de formation",
    "etablissement_uai": "Etablissement", "classe": "Classe", "ine": "Identifiant National (INE)",
    "handicap": "Demande d'aménagement(s) d'épreuves au titre du handicap",
    "consentement_presse": "Communication des résultats à la presse",
    "consentement_collectivites": "Communication des résultats aux collectivités",
    "condition_acces": "Vous vous présentez au titre de", "specialite_id": "Spécialité",
    "section_langue": "Section de langue", "forme_passage": "Forme de passage",
    "derogation": "Dérogation à la forme de passage", "forme_finale": "Forme de passage finale",
    "acquis": "Acquis", "choix": "Choix des épreuves", "conditions_acceptees": "Conditions acceptées",
}
# Ticked again by the user at every save: never a change of theirs nor of the other workstation's.
_IGNORES_CANDIDATURE = frozenset({"modalites_acceptees", "conditions_acceptees"})


def _texte_candidature(k: str, v: Any) -> str:
    if k == "choix":
        return "modifié" if v else VIDE
    if k == "acquis":
        return ", ".join(a.type_code for a in v) if v else VIDE
    return texte_valeur(v)


def conflit_candidature(ctx: Contexte, d: inscriptions.Demarrage,
                        ouverture: regles_inscriptions.SaisieCandidature,
                        mien: regles_inscriptions.SaisieCandidature, *,
                        mien_ouverture: regles_inscriptions.SaisieCandidature | None = None) -> Conflit:
    """``d`` is the Demarrage the form saved with; the conflict's ``frais`` is the fresh one (same
    motif), ready for the next save."""
    assert d.candidature_id is not None
    d_frais, frais = inscriptions.ouvrir(ctx, d.candidature_id)
    d_frais = replace(d_frais, motif_hors_periode=d.motif_hors_periode)

    def sans_cases(x: regles_inscriptions.SaisieCandidature) -> dict[str, Any]:
        return {k: v for k, v in _dict(x).items() if k not in _IGNORES_CANDIDATURE}

    cmp = comparer(sans_cases(ouverture), sans_cases(frais), sans_cases(mien), libelles=LIBELLES_CANDIDATURE,
                   mien_ouverture=sans_cases(mien_ouverture) if mien_ouverture is not None else None,
                   texte=_texte_candidature)
    valeurs = {**cmp.valeurs, **{k: getattr(mien, k) for k in _IGNORES_CANDIDATURE}}
    auteur, quand = dernier_auteur(ctx, "candidature", d.candidature_id)
    titre = f"La candidature N° {d_frais.identite.numero_candidat}-{d_frais.numero_inscription}"
    return Conflit("candidature", d.candidature_id, titre, auteur, quand, cmp.changements, cmp.reappliques,
                   cmp.non_reappliques, regles_inscriptions.SaisieCandidature(**valeurs),
                   d_frais.row_version or 0, d_frais, feminin=True)


# --- pieces (the reviewers' grid) ----------------------------------------------------------------

LIBELLES_PIECE = {"statut": "Statut", "commentaire": "Commentaire", "date_reception": "Date de réception"}


@dataclass(frozen=True)
class SaisiePiece:
    """A status change as the grid asks for it."""

    statut: str
    commentaire: str | None = None
    date_reception: date | None = None


def saisie_piece(ligne: controle.LignePiece) -> SaisiePiece:
    return SaisiePiece(ligne.statut, ligne.commentaire, ligne.date_reception)


def _texte_piece(k: str, v: Any) -> str:
    if k == "statut" and v is not None:
        return regles_pieces.STATUTS.get(v, v)     # "" is « (aucun) »
    return texte_valeur(v)


def conflit_piece(ctx: Contexte, ouverture: controle.LignePiece, mien: SaisiePiece) -> Conflit:
    """``ouverture`` is the grid's row as it was shown; ``mien`` the status the user asked for."""
    frais = controle.ligne(ctx, ouverture.id)
    base = saisie_piece(ouverture)
    # What the user asked for; a field the status does not set keeps what was shown.
    voulu = SaisiePiece(mien.statut, mien.commentaire if mien.commentaire is not None else base.commentaire,
                        mien.date_reception if mien.date_reception is not None else base.date_reception)
    cmp = comparer(_dict(base), _dict(saisie_piece(frais)), _dict(voulu), libelles=LIBELLES_PIECE,
                   texte=_texte_piece)
    auteur, quand = dernier_auteur(ctx, "justificatif", ouverture.id)
    titre = f"La pièce {frais.piece_code} de {frais.candidat}"
    return Conflit("justificatif", ouverture.id, titre, auteur, quand, cmp.changements, cmp.reappliques,
                   cmp.non_reappliques, SaisiePiece(**cmp.valeurs), frais.row_version, frais, feminin=True)
