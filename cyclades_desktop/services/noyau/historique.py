"""One candidate's history: every audit row about the account and everything attached to it
(candidatures, pièces and their files, documents, messages, aménagements, affectations…), newest
first, in the office's words: when, who, what, on which object, and what changed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ...models import (
    Affectation,
    Agent,
    AuditEntry,
    Candidature,
    CompteCandidat,
    DecisionAmenagement,
    Document,
    DocumentVersion,
    EnvoiCourriel,
    FichierJustificatif,
    Justificatif,
    Message,
    Papillon,
    Specialite,
)
from ...rules.comptes import LIBELLES_ETATS_COMPTE
from ...rules.inscriptions import LIBELLES_ETATS
from ...rules.pieces import STATUTS
from ...rules.temps import format_date_heure
from .contexte import Contexte
from .lignes import charger_ou_erreur
from .permissions import P, exiger

# The French wording of the codes the trail stores (the journal screen has the same for its columns).
ACTIONS = {
    "creation": "Création", "modification": "Modification", "suppression": "Suppression",
    "activation": "Activation du compte", "purge_48h": "Purge (compte non activé sous 48 h)",
    "reinitialisation_mot_de_passe": "Réinitialisation du mot de passe",
    "correction_identite": "Correction d'identité", "inscription": "Inscription",
    "modification_inscription": "Modification d'inscription", "desinscription": "Désinscription",
    "annulation_sans_confirmation": "Annulation (confirmation signée non reçue)",
    "ecartement_sans_r408": "Candidature écartée (attestation R.408 manquante)",
    "depot_piece": "Dépôt d'une pièce", "suppression_fichier_piece": "Suppression d'un fichier déposé",
    "validation_pieces": "« J'ai fourni toutes mes pièces »", "statut_piece": "Statut d'une pièce",
    "relance_pieces": "Relance de pièces justificatives", "papillon_connexion": "Papillon de connexion",
    "decision_amenagement": "Décision d'aménagement", "affectation": "Affectation",
    "export_rgpd": "Export des données (RGPD)", "purge_conservation": "Purge (durée de conservation dépassée)",
    # services/resultats
    "presence": "Présence à une épreuve", "note": "Note", "seconde_saisie_note": "Seconde saisie d'une note",
    "benefice": "Note conservée (bénéfice)", "import_note": "Note importée", "points_jury": "Points du jury",
    "correction_note": "Correction d'une note", "correction_resultat": "Correction du résultat",
}

CHAMPS = {
    "nom": "Nom", "prenoms": "Prénoms", "email": "Adresse mail", "numero_candidat": "N° candidat",
    "sexe": "Sexe", "nom_usage": "Nom d'usage", "date_naissance": "Date de naissance",
    "pays_naissance": "Pays de naissance", "departement_naissance": "Département de naissance",
    "commune_naissance": "Commune de naissance", "etat": "État", "statut": "Statut",
    "commentaire": "Commentaire", "date_reception": "Date de réception",
    "date_cachet": "Date du cachet de la poste", "version": "Version",
    "mot_de_passe": "Mot de passe", "login": "Identifiant", "telephone_mobile": "Téléphone mobile",
    "telephone_fixe": "Téléphone fixe", "specialite_id": "Spécialité", "categorie_code": "Catégorie",
    "situation_code": "Situation", "etablissement_uai": "Établissement", "nom_original": "Fichier",
    "motif": "Motif", "mesures": "Mesures", "majoration_temps": "Majoration du temps (%)",
    "choix": "Choix des épreuves", "acquis": "Acquis", "epreuves": "Épreuves", "handicap": "Handicap",
    "adresse_voie": "Adresse", "code_postal": "Code postal", "localite": "Localité", "nationalite": "Nationalité",
    "forme_passage": "Forme de passage", "forme_finale": "Forme finale", "section_langue": "Section de langue",
    "derogation": "Dérogation", "amenagement_duree": "Aménagement de la durée de formation",
    "consentement_presse": "Consentement presse", "consentement_collectivites": "Consentement collectivités",
}
# Technical values left out of « what changed » (still in the RGPD export's raw before/after).
MASQUES = {"sha256", "taille"}
VIDE = "(vide)"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_HEURE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def libelle_action(action: str) -> str:
    return ACTIONS.get(action, action.replace("_", " ").capitalize())


def libelle_champ(champ: str) -> str:
    return CHAMPS.get(champ, champ.replace("_", " ").capitalize())


# Coded values shown in words (account and candidature states, pieces' statuses).
VALEURS = {
    "etat": {**LIBELLES_ETATS_COMPTE, **LIBELLES_ETATS},
    "statut": {k: v for k, v in STATUTS.items() if k},
}


def valeur_lisible(valeur: Any, champ: str = "") -> str:
    """A stored value as the office reads it: dates dd/mm/yyyy (Paris), Oui/Non, lists, coded states."""
    if isinstance(valeur, str) and valeur in VALEURS.get(champ, {}):
        return VALEURS[champ][valeur]
    if valeur is None or valeur == "" or valeur == [] or valeur == {}:
        return VIDE
    if isinstance(valeur, bool):
        return "Oui" if valeur else "Non"
    if isinstance(valeur, list):
        return ", ".join(valeur_lisible(v) for v in valeur)
    if isinstance(valeur, dict):
        return ", ".join(f"{k} : {valeur_lisible(v)}" for k, v in valeur.items())
    if isinstance(valeur, str):
        try:
            if _DATE.match(valeur):
                return date.fromisoformat(valeur).strftime("%d/%m/%Y")
            if _DATE_HEURE.match(valeur):
                return format_date_heure(datetime.fromisoformat(valeur))
        except ValueError:
            pass
        return valeur
    return str(valeur)


@dataclass(frozen=True)
class Changement:
    champ: str
    avant: str
    apres: str

    def __str__(self) -> str:
        if not self.avant:
            return f"{self.champ} : {self.apres}"
        return f"{self.champ} : {self.avant} → {self.apres}"


@dataclass(frozen=True)
class LigneHistorique:
    id: int
    horodatage: datetime
    agent_login: str
    agent_nom: str
    action: str
    objet: str
    candidature_id: int | None
    libelle: str
    changements: tuple[Changement, ...] = ()
    motif: str | None = None
    code_action: str = ""
    avant: dict[str, Any] | None = field(default=None, compare=False)
    apres: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def date(self) -> str:
        """dd/mm/yyyy HH:MM, heure de Paris."""
        return format_date_heure(self.horodatage)

    @property
    def qui(self) -> str:
        return f"{self.agent_nom} ({self.agent_login})" if self.agent_nom else self.agent_login

    @property
    def ce_qui_change(self) -> str:
        # Nothing recorded field by field (a deposit, a reminder): the row's own label says what happened.
        texte = " ; ".join(str(c) for c in self.changements) or self.libelle
        if self.motif:
            texte = f"{texte} ; motif : {self.motif}" if texte else f"Motif : {self.motif}"
        return texte

    def en_dict(self) -> dict[str, Any]:
        """For the RGPD export: readable columns plus the raw values stored in the trail."""
        return {"id": self.id, "horodatage_utc": self.horodatage.isoformat(),
                "date_heure_paris": self.date, "agent": self.qui, "action": self.action,
                "action_code": self.code_action, "objet": self.objet, "libelle": self.libelle,
                "changements": [str(c) for c in self.changements], "motif": self.motif,
                "avant": self.avant, "apres": self.apres}


def changements(avant: dict[str, Any] | None, apres: dict[str, Any] | None) -> tuple[Changement, ...]:
    champs = [c for c in dict.fromkeys([*(avant or {}), *(apres or {})]) if c not in MASQUES]
    out = []
    for c in champs:
        a = "" if avant is None or c not in avant else valeur_lisible(avant[c], c)
        b = "" if apres is None or c not in apres else valeur_lisible(apres[c], c)
        if avant is not None and apres is not None and c in avant and c in apres and avant[c] == apres[c]:
            continue  # a full snapshot on both sides: only what changed
        out.append(Changement(libelle_champ(c), a, b))
    return tuple(out)


@dataclass
class _Objets:
    """What the trail may name about one candidate: (entite, entite_id) → (object label, candidature)."""

    noms: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)

    def ajouter(self, entite: str, ids: Iterable[tuple[object, str, int | None]]) -> None:
        for i, nom, cand in ids:
            self.noms[(entite, str(i))] = (nom, cand)

    def condition(self):  # type: ignore[no-untyped-def]
        par_entite: dict[str, list[str]] = {}
        for entite, i in self.noms:
            par_entite.setdefault(entite, []).append(i)
        return or_(*(and_(AuditEntry.entite == e, AuditEntry.entite_id.in_(ids)) for e, ids in par_entite.items()))


def _objets(s: Session, compte: CompteCandidat) -> _Objets:
    o = _Objets()
    o.ajouter("compte", [(compte.id, f"Compte candidat N° {compte.numero_candidat}", None)])
    cands = s.execute(
        select(Candidature.id, Candidature.numero_inscription, Candidature.domaine_code, Specialite.intitule)
        .outerjoin(Specialite, Specialite.id == Candidature.specialite_id)
        .where(Candidature.compte_id == compte.id)).all()
    nom_cand = {c.id: f"Candidature {c.numero_inscription} — {c.domaine_code} {c.intitule or ''}".rstrip()
                for c in cands}
    o.ajouter("candidature", [(i, n, i) for i, n in nom_cand.items()])
    ids = list(nom_cand)
    if ids:
        justifs = s.execute(select(Justificatif.id, Justificatif.candidature_id, Justificatif.libelle)
                            .where(Justificatif.candidature_id.in_(ids))).all()
        o.ajouter("justificatif", [(j.id, f"Pièce : {_court(j.libelle)}", j.candidature_id) for j in justifs])
        cand_justif = {j.id: j.candidature_id for j in justifs}
        if cand_justif:
            fichiers = s.execute(select(FichierJustificatif.id, FichierJustificatif.justificatif_id,
                                        FichierJustificatif.nom_original)
                                 .where(FichierJustificatif.justificatif_id.in_(list(cand_justif)))).all()
            o.ajouter("fichier_justificatif", [(f.id, f"Fichier : {f.nom_original}", cand_justif[f.justificatif_id])
                                               for f in fichiers])
        docs = s.execute(select(Document.id, Document.candidature_id, Document.titre)
                         .where(Document.candidature_id.in_(ids))).all()
        o.ajouter("document", [(d.id, f"Document : {d.titre}", d.candidature_id) for d in docs])
        cand_doc = {d.id: (d.candidature_id, d.titre) for d in docs}
        if cand_doc:
            versions = s.execute(select(DocumentVersion.id, DocumentVersion.document_id, DocumentVersion.numero)
                                 .where(DocumentVersion.document_id.in_(list(cand_doc)))).all()
            o.ajouter("document_version", [
                (v.id, f"Document : {cand_doc[v.document_id][1]} (version n°{v.numero})", cand_doc[v.document_id][0])
                for v in versions])
        for modele, entite, nom in ((DecisionAmenagement, "decision_amenagement", "Aménagement d'épreuves"),
                                    (Affectation, "affectation", "Affectation en salle")):
            lignes = s.execute(select(modele.id, modele.candidature_id).where(modele.candidature_id.in_(ids))).all()
            o.ajouter(entite, [(x.id, f"{nom} — {nom_cand[x.candidature_id]}", x.candidature_id) for x in lignes])
    papillons = s.execute(select(Papillon.id, Papillon.candidature_id).where(Papillon.compte_id == compte.id)).all()
    o.ajouter("papillon", [(p.id, "Papillon de connexion", p.candidature_id) for p in papillons])
    messages = s.execute(select(Message.id, Message.candidature_id, Message.objet)
                         .where(Message.compte_id == compte.id)).all()
    o.ajouter("message", [(m.id, f"Message : {m.objet}", m.candidature_id) for m in messages])
    par_message = {m.id: m for m in messages}
    if par_message:
        envois = s.execute(select(EnvoiCourriel.id, EnvoiCourriel.message_id)
                           .where(EnvoiCourriel.message_id.in_(list(par_message)))).all()
        o.ajouter("envoi_courriel", [(e.id, f"Envoi du mail : {par_message[e.message_id].objet}",
                                      par_message[e.message_id].candidature_id) for e in envois])
    return o


def _court(texte: str, n: int = 90) -> str:
    ligne = (texte or "").strip().splitlines()[0] if texte else ""
    return ligne if len(ligne) <= n else ligne[: n - 1] + "…"


def lire_historique(s: Session, compte_id: int) -> list[LigneHistorique]:
    """Inside the caller's session (the RGPD export reads it with the rest)."""
    compte = charger_ou_erreur(s, CompteCandidat, compte_id, "Ce compte candidat n'existe plus.")
    objets = _objets(s, compte)
    entrees = list(s.scalars(select(AuditEntry).where(objets.condition()).order_by(AuditEntry.id.desc())))
    ids_agents = {e.agent_id for e in entrees if e.agent_id}
    noms = {a.id: f"{a.prenom} {a.nom}" for a in s.scalars(select(Agent).where(Agent.id.in_(ids_agents)))} \
        if ids_agents else {}
    out = []
    for e in entrees:
        objet, cand = objets.noms[(e.entite, e.entite_id)]
        out.append(LigneHistorique(
            id=e.id, horodatage=e.horodatage, agent_login=e.agent_login,
            agent_nom=noms.get(e.agent_id or 0, "Traitement automatique" if not e.agent_id else ""),
            action=libelle_action(e.action), objet=objet, candidature_id=cand, libelle=e.libelle,
            changements=changements(e.avant, e.apres), motif=e.motif, code_action=e.action,
            avant=e.avant, apres=e.apres))
    return out


def historique_candidat(ctx: Contexte, compte_id: int, candidature_id: int | None = None) -> list[LigneHistorique]:
    """Every audit row about the candidate, newest first; ``candidature_id`` keeps one candidature's."""
    exiger(ctx, P.AUDIT_LIRE)
    with ctx.lecture() as s:
        lignes = lire_historique(s, compte_id)
    if candidature_id is not None:
        lignes = [x for x in lignes if x.candidature_id == candidature_id]
    return lignes


@dataclass(frozen=True)
class CandidatureHistorique:
    id: int
    libelle: str


def candidatures(ctx: Contexte, compte_id: int) -> list[CandidatureHistorique]:
    """For the history's filter."""
    exiger(ctx, P.AUDIT_LIRE)
    with ctx.lecture() as s:
        rows = s.execute(
            select(Candidature.id, Candidature.numero_inscription, Candidature.domaine_code, Specialite.intitule)
            .outerjoin(Specialite, Specialite.id == Candidature.specialite_id)
            .where(Candidature.compte_id == compte_id).order_by(Candidature.numero_inscription)).all()
    return [CandidatureHistorique(r.id, f"Candidature {r.numero_inscription} — {r.domaine_code} "
                                        f"{r.intitule or ''}".rstrip()) for r in rows]


COLONNES_CSV = ["Date (heure de Paris)", "Agent", "Action", "Objet", "Ce qui a changé", "Libellé"]


def lignes_csv(lignes: list[LigneHistorique]) -> list[list[str]]:
    return [[x.date, x.qui, x.action, x.objet, x.ce_qui_change, x.libelle] for x in lignes]


def exporter_csv(lignes: list[LigneHistorique], chemin: str) -> None:
    """Semicolon-separated UTF-8 with a BOM: what a French spreadsheet opens without asking."""
    import csv

    with open(chemin, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(COLONNES_CSV)
        w.writerows(lignes_csv(lignes))



