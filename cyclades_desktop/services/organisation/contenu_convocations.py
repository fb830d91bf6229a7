"""What a convocation says: its data for a chunk of candidatures in a few queries, one PDF on request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ...documents.donnees_convocation import DonneesConvocation, EpreuveConvoquee
from ...models import (
    Affectation,
    Bureau,
    Candidature,
    CentreExamen,
    CompteCandidat,
    Creneau,
    DecisionAmenagement,
    Document,
    DocumentVersion,
    Domaine,
    EpreuveChoix,
    Etablissement,
    Pays,
    Salle,
    SessionExamen,
    Specialite,
)
from ...rules import inscriptions as regles
from ...rules.comptes import PAYS_FRANCE
from ...rules.epreuves import INSCRIT, PONCTUEL
from ...rules.errors import DomainError, NotFound
from ...rules.inscriptions import TypeDocument
from ...rules.organisation import STATUTS_ACCORDES, TYPES_EPREUVE, epreuves_a_convoquer, majoration_minutes
from ..noyau import Contexte, P, charger_ou_erreur, exiger
from ..publications import CIVILITES, en_tete_bureau, nom_fichier

CENTRE_ULTERIEUR = "Centre communiqué ultérieurement"


def _adresse(voie: Iterable[str | None], code_postal: str | None, localite: str | None, pays: str | None,
             noms_pays: dict[str, str]) -> tuple[str, ...]:
    lignes = [x for x in voie if x]
    lignes.append(" ".join(x for x in (code_postal, (localite or "").upper()) if x))
    if pays and pays != PAYS_FRANCE:
        lignes.append(noms_pays.get(pays, pays).upper())
    return tuple(lignes)


def _adresse_centre(adresse: str | None, code_postal: str | None, ville: str | None) -> tuple[str, ...]:
    lignes = [x.strip() for x in (adresse or "").splitlines() if x.strip()]
    derniere = " ".join(x for x in (code_postal, ville) if x)
    return tuple(lignes + ([derniere] if derniere else []))


def donnees_convocations(s: Session, candidature_ids: list[int], *,
                         version_par_candidature: dict[int, int] | None = None,
                         version_le: datetime | None = None) -> list[DonneesConvocation]:
    """The convocations of ``candidature_ids`` (in that order; unknown ids are skipped), with eight
    queries whatever their number (keep chunks to a few hundred: the ids go in IN lists; batch printing
    renders 20,000 of them).

    Without ``version_par_candidature`` each one carries its last published version and date (version
    1 and ``version_le``, by default now, when none is published yet); with it, the given numbers and
    ``version_le`` (the publication's time)."""
    if not candidature_ids:
        return []
    maintenant = version_le or datetime.now(UTC)
    ids = list(dict.fromkeys(candidature_ids))
    lignes = {r.id: r for r in s.execute(
        select(Candidature.id, Candidature.session_id, Candidature.specialite_id, Candidature.numero_inscription,
               Candidature.adresse_voie, Candidature.adresse_complement1, Candidature.adresse_complement2,
               Candidature.adresse_complement3, Candidature.code_postal, Candidature.localite,
               Candidature.adresse_pays, CompteCandidat.numero_candidat, CompteCandidat.sexe, CompteCandidat.nom,
               CompteCandidat.prenoms, Domaine.libelle_majuscules.label("domaine"),
               SessionExamen.libelle.label("session"), Specialite.intitule.label("spec_intitule"),
               Specialite.code.label("spec_code"))
        .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
        .join(Domaine, Domaine.code == Candidature.domaine_code)
        .join(SessionExamen, SessionExamen.id == Candidature.session_id)
        .outerjoin(Specialite, Specialite.id == Candidature.specialite_id)
        .where(Candidature.id.in_(ids)))}
    choix: dict[int, list[tuple[str, str | None, str, int, int, str, str | None]]] = defaultdict(list)
    for r in s.execute(select(EpreuveChoix.candidature_id, EpreuveChoix.code, EpreuveChoix.unite,
                              EpreuveChoix.intitule, EpreuveChoix.niveau, EpreuveChoix.groupe,
                              EpreuveChoix.position, EpreuveChoix.mode)
                       .where(EpreuveChoix.candidature_id.in_(ids))
                       .order_by(EpreuveChoix.candidature_id, EpreuveChoix.ordre, EpreuveChoix.id)):
        choix[r[0]].append(tuple(r[1:]))  # type: ignore[arg-type]
    affectees: dict[int, list[tuple]] = defaultdict(list)  # type: ignore[type-arg]
    for r in s.execute(
            select(Affectation.candidature_id, Creneau.epreuve_code, Creneau.intitule, Creneau.debut,
                   Creneau.duree_minutes, Creneau.type, Salle.nom, Etablissement.nom, Etablissement.adresse,
                   Etablissement.code_postal, Etablissement.ville, Etablissement.telephone)
            .join(Creneau, Creneau.id == Affectation.creneau_id)
            .join(Salle, Salle.id == Affectation.salle_id)
            .join(CentreExamen, CentreExamen.id == Salle.centre_id)
            .join(Etablissement, Etablissement.uai == CentreExamen.etablissement_uai)
            .where(Affectation.candidature_id.in_(ids))):
        affectees[r[0]].append(tuple(r[1:]))
    # Créneaux of the chunk's spécialités: an épreuve timetabled but not seated yet shows its date.
    paires = {(r.session_id, r.specialite_id) for r in lignes.values() if r.specialite_id}
    creneaux: dict[tuple[int, str], dict[str, tuple]] = defaultdict(dict)  # type: ignore[type-arg]
    if paires:
        for r in s.execute(select(Creneau.session_id, Creneau.specialite_id, Creneau.epreuve_code,
                                  Creneau.intitule, Creneau.debut, Creneau.duree_minutes, Creneau.type)
                           .where(Creneau.session_id.in_({p[0] for p in paires}),
                                  Creneau.specialite_id.in_({p[1] for p in paires}))):
            creneaux[(r[0], r[1])][r[2]] = tuple(r[3:])
    decisions = {d.candidature_id: d for d in s.scalars(
        select(DecisionAmenagement).where(DecisionAmenagement.candidature_id.in_(ids)))}
    publiees = {r[0]: (r[1], r[2]) for r in s.execute(
        select(Document.candidature_id, Document.derniere_version, DocumentVersion.publie_le)
        .join(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                    DocumentVersion.numero == Document.derniere_version))
        .where(Document.type == TypeDocument.CONVOCATION, Document.candidature_id.in_(ids)))}
    bureau = charger_ou_erreur(s, Bureau, 1,
                               "Les coordonnées du bureau des examens ne sont pas renseignées.", erreur=DomainError)
    entete = en_tete_bureau(bureau)
    pays = {r.adresse_pays for r in lignes.values() if r.adresse_pays and r.adresse_pays != PAYS_FRANCE}
    noms_pays = {code: nom for code, nom in s.execute(select(Pays.code, Pays.nom).where(Pays.code.in_(pays)))} \
        if pays else {}

    out: list[DonneesConvocation] = []
    for cid in ids:
        r = lignes.get(cid)
        if r is None:
            continue
        decision = decisions.get(cid)
        accorde = decision is not None and decision.statut in STATUTS_ACCORDES
        pourcentage = (decision.majoration_temps or 0) if decision is not None and accorde else 0
        dates = []
        for code, intitule, debut, duree, type_, salle, centre, adresse, cp, ville, tel in affectees.get(cid, []):
            unite = next((c[1] for c in choix.get(cid, []) if c[0] == code), None)
            dates.append(EpreuveConvoquee(
                code, unite, intitule, debut, duree, majoration_minutes(duree, pourcentage),
                TYPES_EPREUVE.get(type_, type_), centre, _adresse_centre(adresse, cp, ville),
                regles.telephone_affiche(tel) if tel else "", salle))
        seated = {e.code for e in dates}
        du_planning = creneaux.get((r.session_id, r.specialite_id), {}) if r.specialite_id else {}
        ponctuelles = {c[0] for c in choix.get(cid, [])
                       if c[4] == 1 and c[5] == INSCRIT and c[6] == PONCTUEL}
        sans_place = {code: v for code, v in du_planning.items() if code in ponctuelles and code not in seated}
        for code, (c_intitule, debut, duree, type_) in sans_place.items():
            unite = next((c[1] for c in choix.get(cid, []) if c[0] == code), None)
            dates.append(EpreuveConvoquee(code, unite, c_intitule, debut, duree, majoration_minutes(duree, pourcentage),
                                          TYPES_EPREUVE.get(type_, type_), CENTRE_ULTERIEUR))
        a_venir = [EpreuveConvoquee(code, unite, intitule) for code, unite, intitule
                   in epreuves_a_convoquer(choix.get(cid, []), seated | set(sans_place))]
        dates.sort(key=lambda e: (e.debut, e.code))
        if version_par_candidature is not None and cid in version_par_candidature:
            version, le = version_par_candidature[cid], maintenant
        elif cid in publiees:
            version, le = publiees[cid]
        else:
            version, le = 1, maintenant
        spec = f"{r.spec_intitule} ({r.spec_code})" if r.spec_intitule and r.spec_code else (r.spec_intitule or "")
        out.append(DonneesConvocation(
            candidature_id=cid, domaine=r.domaine, specialite=spec, version=version, version_le=le,
            numero_candidat=r.numero_candidat, numero_inscription=r.numero_inscription, session=r.session,
            bureau=entete, civilite=CIVILITES.get(r.sexe, ""), nom=r.nom, prenoms=r.prenoms,
            adresse=_adresse((r.adresse_voie, r.adresse_complement1, r.adresse_complement2,
                              r.adresse_complement3), r.code_postal, r.localite, r.adresse_pays, noms_pays),
            epreuves=tuple(dates) + tuple(a_venir),
            amenagements=tuple(decision.mesures or ()) if decision is not None and accorde else (),
            majoration_temps=pourcentage))
    return out


def convocation_pdf(ctx: Contexte, candidature_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of the convocation as it would print now (counter, on request), numbered as
    its last published version."""
    exiger(ctx, P.COMPTES_LIRE)
    from ...documents.convocation import rendre  # reportlab loads on first document only

    with ctx.lecture() as s:
        donnees = donnees_convocations(s, [candidature_id], version_le=ctx.clock.now())
    if not donnees:
        raise NotFound("Cette candidature n'existe plus.")
    d = donnees[0]
    return nom_fichier(TypeDocument.CONVOCATION, d.numero_candidat, d.numero_inscription, d.version), rendre(d)
