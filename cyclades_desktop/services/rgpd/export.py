"""RGPD: everything held about one candidate as a ZIP (right of access, art. 15), the retention
settings, and (in ``purge``) the purge of what has been kept long enough."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import (
    Affectation,
    Candidature,
    CompteCandidat,
    Creneau,
    DecisionAmenagement,
    Document,
    DocumentVersion,
    EnvoiCourriel,
    FichierJustificatif,
    Justificatif,
    Message,
    Papillon,
    Salle,
    SessionExamen,
    Specialite,
)
from ...rules.errors import DomainError, NotFound
from ...rules.fichiers import normaliser_nom
from ...rules.rgpd import Conservation
from ...rules.temps import format_date_heure
from ...storage.fichiers import depot_de
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger, historique
from .conservation import enregistrer_conservation, lire_conservation

# --- export (art. 15) ----------------------------------------------------------------------------------

# Never exported: secrets, not data about the person.
_EXCLUS = {"mot_de_passe_hash", "code_activation_hash"}


def _valeur(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes):
        return None
    return v


def _colonnes(obj: object, exclus: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    mapper = sa_inspect(obj).mapper  # type: ignore[union-attr]
    return {a.key: _valeur(getattr(obj, a.key)) for a in mapper.column_attrs
            if a.key not in exclus and a.key != "contenu"}


def compte_par_numero(ctx: Contexte, numero: str) -> int:
    exiger(ctx, P.RGPD_EXPORTER)
    with ctx.lecture() as s:
        cid = s.scalar(select(CompteCandidat.id).where(CompteCandidat.numero_candidat == numero.strip()))
    if cid is None:
        raise NotFound(f"Aucun compte candidat ne porte le N° {numero.strip()}.")
    return int(cid)


def _nom_sur(nom: str) -> str:
    """A file name safe inside a ZIP on every system (no folders, no reserved characters)."""
    propre = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in PurePosixPath(nom).name).strip(" .")
    return propre or "fichier"


def _unique(nom: str, pris: set[str]) -> str:
    base, ext = os.path.splitext(nom)
    candidat, n = nom, 2
    while candidat in pris:
        candidat, n = f"{base} ({n}){ext}", n + 1
    pris.add(candidat)
    return candidat


LISEZMOI = """Données personnelles détenues par le service des examens
=========================================================

Candidat : {nom} — N° candidat {numero}
Extraction réalisée le {date} (heure de Paris) par {agent}.

Cette archive contient l'ensemble des informations vous concernant enregistrées dans Cyclades Desktop,
en application de l'article 15 du Règlement général sur la protection des données (droit d'accès).

Contenu :
- identite.json : votre compte (état civil, adresse mail, dates de création et d'activation). Votre mot
  de passe n'y figure pas : il n'est conservé que sous une forme chiffrée irréversible.
- candidatures.json : vos candidatures ({n_cand}), avec toutes les informations saisies, vos acquis, la
  position de chaque épreuve, les décisions d'aménagement, les affectations en salle et les papillons
  de connexion éventuels.
- documents/ : chaque version de chaque document publié ({n_docs} fichiers PDF : récapitulatifs,
  demandes de pièces, convocations…).
- pieces/ : chaque fichier que vous avez déposé comme pièce justificative ({n_fichiers}), sous son nom
  d'origine, rangé par candidature et par pièce ; pieces.json donne le statut de chaque pièce et
  l'historique de ses fichiers (dépôts, remplacements, retraits).
- messages.json : les messages qui vous ont été adressés ({n_messages}) et, s'il y a lieu, l'état de
  leur envoi par mail.
- audit.json : les opérations enregistrées à votre sujet dans le journal d'audit ({n_audit}) : date,
  auteur, nature de l'opération et valeurs avant et après.

Les dates des fichiers JSON sont en temps universel (UTC) ; « date_heure_paris » donne l'heure de Paris.
{avertissements}"""


@dataclass(frozen=True)
class ResumeExport:
    candidatures: int
    documents: int
    fichiers: int
    messages: int
    audit: int

    def __str__(self) -> str:
        return (f"{self.candidatures} candidature(s), {self.documents} document(s), {self.fichiers} pièce(s) "
                f"déposée(s), {self.messages} message(s), {self.audit} opération(s) du journal")


def _ecrire_json(z: zipfile.ZipFile, nom: str, donnees: Any) -> None:
    z.writestr(nom, json.dumps(donnees, ensure_ascii=False, indent=2, default=str))


def exporter_candidat(ctx: Contexte, compte_id: int, chemin_zip: str | Path) -> ResumeExport:
    """Write the ZIP (to a temporary file renamed at the end: never a half-written export), then
    record the export in the audit trail."""
    exiger(ctx, P.RGPD_EXPORTER)
    cible = Path(chemin_zip)
    depot = depot_de(ctx.db)
    descripteur, nom_tmp = tempfile.mkstemp(prefix=".export-rgpd-", suffix=".zip", dir=cible.parent or ".")
    os.close(descripteur)
    tmp = Path(nom_tmp)
    try:
        with ctx.lecture() as s, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            compte = charger_ou_erreur(s, CompteCandidat, compte_id, "Ce compte candidat n'existe plus.")
            numero, nom = compte.numero_candidat, f"{compte.nom} {compte.prenoms}"
            _ecrire_json(z, "identite.json", _colonnes(compte, _EXCLUS))
            cands = list(s.scalars(select(Candidature).where(Candidature.compte_id == compte_id)
                                   .order_by(Candidature.numero_inscription)))
            _ecrire_json(z, "candidatures.json", [_candidature(s, c) for c in cands])
            n_docs = _documents(s, z, [c.id for c in cands])
            n_fichiers, manquants = _pieces(s, z, depot, cands)
            n_messages = _messages(s, z, compte_id)
            lignes = historique.lire_historique(s, compte_id)
            _ecrire_json(z, "audit.json", [x.en_dict() for x in lignes])
            avertissements = "" if not manquants else (
                "\nAttention : ces fichiers déposés sont introuvables dans le dépôt des pièces et manquent "
                "à l'archive :\n" + "\n".join(f"- {m}" for m in manquants) + "\n")
            agent = ctx.agent.nom_affiche if ctx.agent else "traitement automatique"
            z.writestr("LISEZMOI.txt", LISEZMOI.format(
                nom=nom, numero=numero, date=format_date_heure(ctx.clock.now()), agent=agent,
                n_cand=len(cands), n_docs=n_docs, n_fichiers=n_fichiers, n_messages=n_messages,
                n_audit=len(lignes), avertissements=avertissements))
        os.replace(tmp, cible)
    except OSError as exc:
        raise DomainError(f"L'export n'a pas pu être écrit dans {cible} ({exc.strerror or exc}).") from exc
    finally:
        tmp.unlink(missing_ok=True)
    resume = ResumeExport(len(cands), n_docs, n_fichiers, n_messages, len(lignes))
    with ctx.transaction() as s:
        audit.enregistrer(s, ctx, "export_rgpd", "compte", compte_id,
                          libelle=f"Export RGPD des données du candidat {numero}",
                          apres={"fichier": cible.name, "candidatures": resume.candidatures,
                                 "documents": resume.documents, "fichiers": resume.fichiers,
                                 "messages": resume.messages, "audit": resume.audit})
    return resume


def _candidature(s: Session, c: Candidature) -> dict[str, Any]:
    d = _colonnes(c)
    session = s.get(SessionExamen, c.session_id)
    spec = s.get(Specialite, c.specialite_id) if c.specialite_id else None
    d["session"] = session.libelle if session else None
    d["specialite"] = f"{spec.domaine_code} {spec.intitule}" if spec else None
    d["acquis"] = [_colonnes(a) for a in c.acquis]
    d["epreuves"] = [_colonnes(e) for e in c.epreuves]
    decision = s.scalar(select(DecisionAmenagement).where(DecisionAmenagement.candidature_id == c.id))
    d["amenagement"] = _colonnes(decision) if decision else None
    d["affectations"] = [
        {**_colonnes(a), "epreuve": cr.intitule, "debut": _valeur(cr.debut), "salle": sa.nom}
        for a, cr, sa in s.execute(select(Affectation, Creneau, Salle)
                                   .join(Creneau, Creneau.id == Affectation.creneau_id)
                                   .join(Salle, Salle.id == Affectation.salle_id)
                                   .where(Affectation.candidature_id == c.id).order_by(Creneau.debut))]
    d["papillons"] = [_colonnes(p) for p in s.scalars(select(Papillon).where(Papillon.candidature_id == c.id))]
    return d


def _documents(s: Session, z: zipfile.ZipFile, ids: list[int]) -> int:
    if not ids:
        return 0
    n = 0
    pris: set[str] = set()
    for doc in s.scalars(select(Document).where(Document.candidature_id.in_(ids)).order_by(Document.id)):
        for v in doc.versions:
            # One version at a time: the PDFs are deferred and never all in memory.
            contenu = s.scalar(select(DocumentVersion.contenu).where(DocumentVersion.id == v.id))
            z.writestr(f"documents/{_unique(_nom_sur(v.nom_fichier), pris)}", contenu or b"")
            n += 1
    return n


def _pieces(s: Session, z: zipfile.ZipFile, depot: Any, cands: list[Candidature]) -> tuple[int, list[str]]:
    n, manquants, resume = 0, [], []
    for c in cands:
        for j in s.scalars(select(Justificatif).where(Justificatif.candidature_id == c.id)
                           .order_by(Justificatif.piece_code)):
            dossier = f"pieces/{c.numero_inscription}/{_nom_sur(j.piece_code)}"
            pris: set[str] = set()
            fichiers = []
            for f in s.scalars(select(FichierJustificatif).where(FichierJustificatif.justificatif_id == j.id)
                               .order_by(FichierJustificatif.id)):
                # Never the name as typed: no invisible or reserved character, the content's extension.
                chemin = f"{dossier}/{_unique(normaliser_nom(f.nom_original, f.type_mime), pris)}"
                try:
                    z.writestr(chemin, depot.lire(f.sha256))
                    n += 1
                except DomainError:
                    manquants.append(f"{normaliser_nom(f.nom_original, f.type_mime)} (candidature "
                                     f"{c.numero_inscription}, {j.piece_code})")
                    chemin = ""
                fichiers.append({**_colonnes(f), "fichier_dans_l_archive": chemin or None})
            resume.append({**_colonnes(j), "candidature": c.numero_inscription, "fichiers": fichiers})
    _ecrire_json(z, "pieces/pieces.json", resume)
    return n, manquants


def _messages(s: Session, z: zipfile.ZipFile, compte_id: int) -> int:
    lignes = []
    for m in s.scalars(select(Message).where(Message.compte_id == compte_id).order_by(Message.cree_le, Message.id)):
        envoi = s.scalar(select(EnvoiCourriel).where(EnvoiCourriel.message_id == m.id))
        lignes.append({**_colonnes(m), "envoi_par_mail": _colonnes(envoi) if envoi else None})
    _ecrire_json(z, "messages.json", lignes)
    return len(lignes)


from .purge import PlanPurge, ResultatPurge, appliquer_purge, lignes_plan, preparer_purge  # noqa: E402

__all__ = ["Conservation", "PlanPurge", "ResultatPurge", "appliquer_purge", "compte_par_numero",
           "enregistrer_conservation", "exporter_candidat", "lignes_plan", "lire_conservation",
           "preparer_purge"]
