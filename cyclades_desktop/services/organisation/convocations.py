"""« Convocation aux épreuves » (docs/domaine/organisation.md#convocations): the data printed for a chunk of
candidatures loaded with a constant number of queries (batch printing renders 20,000 of them), and
the versioned publication: a new version only for the candidatures whose convocation, rendered again
as their last version, no longer matches it byte for byte (timetable, room, seat removed, créneau
deleted, aménagements…), one transaction per chunk so that a cancel or a crash leaves each one with
its new version or without, and a re-run resumes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context

from sqlalchemy import LargeBinary, and_, func, literal, select
from sqlalchemy.orm import Session

from ...documents.donnees_convocation import (
    OCTETS_EMPREINTE,
    DonneesConvocation,
    EpreuveConvoquee,
    empreinte,
    lire_empreinte,
)
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
from ...rules.inscriptions import EtatCandidature, TypeDocument
from ...rules.organisation import STATUTS_ACCORDES, TYPES_EPREUVE, epreuves_a_convoquer, majoration_minutes
from ...rules.temps import JOURS, format_date, paris
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger
from ..publications import CIVILITES, en_tete_bureau, message_candidat, nom_fichier, publier

TAILLE_LOT = 100          # candidatures per transaction when publishing
MAX_CONFLITS_AFFICHES = 10
CENTRE_ULTERIEUR = "Centre communiqué ultérieurement"


# --- loading ------------------------------------------------------------------------------------

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
    queries whatever their number (keep chunks to a few hundred: the ids go in IN lists).

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


# --- publication ------------------------------------------------------------------------------
#
# What has changed is decided on the content, not on timestamps: a deleted créneau or a removed seat
# leaves no date behind. Every convocation PDF carries the SHA-256 of its content (every printed field
# but the version's number and date: documents.donnees_convocation.empreinte) in its /Keywords. For
# each candidatures with a published convocation, the fingerprint of its current data is compared with
# the one read from its last version's PDF (SQLite extracts the few bytes in place: the PDFs are never
# loaded into Python nor parsed, and nothing is rendered); a difference, whatever its cause (timetable,
# room, aménagements, address, office header), gives version N+1. A candidature never published gets
# its first version once it has a seat in at least one créneau.
#
# A convocation published before fingerprints existed has none in its PDF: it counts as changed once and
# is republished (same content, fingerprinted), then compares normally.

TAILLE_ANALYSE = 200      # candidatures loaded and compared per step of the analysis


def _nombre(n: int) -> str:
    """« 1 234 » (narrow no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class Rapport:
    publiees: tuple[int, ...]      # candidature ids given a new version
    inchangees: int                # already published, nothing changed since
    sans_epreuve: int              # never published and no seat in any créneau yet: nothing to convoke to
    interrompue: bool = False      # cancelled between two chunks: a re-run resumes

    @property
    def message(self) -> str:
        n = len(self.publiees)
        debut = ("Aucune convocation publiée" if n == 0 else
                 "1 convocation publiée" if n == 1 else f"{_nombre(n)} convocations publiées")
        details = []
        if self.inchangees:
            details.append(f"{_nombre(self.inchangees)} inchangée(s) depuis leur dernière version")
        if self.sans_epreuve:
            details.append(f"{_nombre(self.sans_epreuve)} candidature(s) sans épreuve affectée")
        texte = debut + (f" ({' ; '.join(details)})." if details else ".")
        if self.interrompue:
            texte += " Publication interrompue : relancez-la pour publier les suivantes."
        return texte


@dataclass(frozen=True)
class Apercu:
    """What a publication would do, before doing it."""
    session_id: int
    a_publier: tuple[int, ...]             # candidatures to give a new (or a first) version
    attendues: dict[int, int]              # their last version number when analysed (0: none)
    inchangees: int
    sans_epreuve: int
    conflits: tuple = ()                   # type: ignore[type-arg]  # clashes blocking the publication
    interrompu: bool = False               # analysis cancelled: the counts are partial

    @property
    def nouvelles(self) -> int:
        return sum(1 for cid in self.a_publier if self.attendues.get(cid, 0) == 0)

    @property
    def message(self) -> str:
        n = len(self.a_publier)
        if n == 0:
            texte = "Aucune convocation à publier"
        else:
            premieres = self.nouvelles
            texte = ("1 candidature recevra une nouvelle version de sa convocation" if n == 1 else
                     f"{_nombre(n)} candidatures recevront une nouvelle version de leur convocation")
            if premieres:
                texte += (" (première publication)" if premieres == n == 1 else
                          f" (dont {_nombre(premieres)} première(s) publication(s))")
        details = []
        if self.inchangees:
            details.append(f"{_nombre(self.inchangees)} inchangée(s)")
        if self.sans_epreuve:
            details.append(f"{_nombre(self.sans_epreuve)} candidature(s) sans épreuve affectée")
        texte += (f" ; {' ; '.join(details)}." if details else ".")
        if self.interrompu:
            texte = "Analyse interrompue : " + texte
        return texte


def _conflits(ctx: Contexte, session_id: int, ids: set[int] | None = None) -> list:  # type: ignore[type-arg]
    """The organisation's clashes of the session; with ``ids``, only those involving one of them."""
    from .affectation import conflits

    tous = list(conflits(ctx, session_id))
    if ids is None:
        return tous
    return [c for c in tous if c.a.candidature_id in ids or c.b.candidature_id in ids]


def texte_conflits(conflits: Sequence) -> str:  # type: ignore[type-arg]
    lignes = []
    for c in conflits[:MAX_CONFLITS_AFFICHES]:
        a, b = getattr(c, "a", None), getattr(c, "b", None)
        quoi = f"{a.epreuve} et {b.epreuve}, le {format_date(a.debut)}" if a is not None and b is not None else ""
        lignes.append(f"– {getattr(c, 'numero_candidat', '')} {getattr(c, 'nom', '')} : {quoi}".rstrip(" :"))
    if len(conflits) > MAX_CONFLITS_AFFICHES:
        lignes.append(f"… et {len(conflits) - MAX_CONFLITS_AFFICHES} autre(s).")
    return "\n".join(lignes)


def _refuser_si_conflits(conflits: Sequence) -> None:  # type: ignore[type-arg]
    if conflits:
        raise DomainError("Les convocations ne peuvent pas être publiées : des candidats ont des épreuves qui se "
                          "chevauchent. Résolvez ces conflits dans l'organisation des examens :\n"
                          + texte_conflits(conflits))


def _candidatures(s: Session, session_id: int, candidature_ids: list[int] | None, domaine: str | None,
                  specialite_id: str | None) -> list[int]:
    q = select(Candidature.id).where(Candidature.session_id == session_id, Candidature.etat == EtatCandidature.INSCRIT)
    if domaine:
        q = q.where(Candidature.domaine_code == domaine)
    if specialite_id:
        q = q.where(Candidature.specialite_id == specialite_id)
    if candidature_ids is None:
        return list(s.scalars(q.order_by(Candidature.id)))
    out: list[int] = []
    for lot in _lots(sorted(set(candidature_ids)), TAILLE_ANALYSE):
        out.extend(s.scalars(q.where(Candidature.id.in_(lot)).order_by(Candidature.id)))
    return out


def _empreintes(s: Session, ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """{candidature id: (last version number, the content fingerprint in its PDF or None)} of the
    published convocations. On SQLite only the /Keywords entry's bytes are read out of each PDF (instr
    and substr run in place); elsewhere the PDFs are loaded, a chunk at a time, and searched from the end."""
    colonnes = [Document.candidature_id, Document.derniere_version]
    if s.get_bind().dialect.name == "sqlite":
        contenu = DocumentVersion.contenu
        debut = func.instr(contenu, literal(OCTETS_EMPREINTE, LargeBinary))
        colonnes.append(func.substr(contenu, debut, len(OCTETS_EMPREINTE) + 65))
    else:
        colonnes.append(DocumentVersion.contenu)
    requete = (select(*colonnes)
               .join(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                           DocumentVersion.numero == Document.derniere_version))
               .where(Document.type == TypeDocument.CONVOCATION, Document.candidature_id.in_(ids)))
    return {cid: (version, lire_empreinte(bytes(octets or b""))) for cid, version, octets in s.execute(requete)}


def analyser_lot(s: Session, ids: list[int]) -> tuple[list[int], dict[int, int], int, int]:
    """(ids to publish, their last version numbers, unchanged count, count without seat) for a chunk:
    the current data's content fingerprint compared with the published version's (nothing rendered)."""
    empreintes = _empreintes(s, ids)
    places = set(s.scalars(select(Affectation.candidature_id).distinct()
                           .where(Affectation.candidature_id.in_(ids))))
    changees: set[int] = set()
    inchangees = 0
    publiees = [cid for cid in ids if cid in empreintes]
    for d in donnees_convocations(s, publiees):
        if empreinte(d) == empreintes[d.candidature_id][1]:
            inchangees += 1
        else:
            changees.add(d.candidature_id)
    a_publier, sans = [], 0
    for cid in ids:
        if cid in changees or (cid not in empreintes and cid in places):
            a_publier.append(cid)
        elif cid not in empreintes:
            sans += 1
    return a_publier, {cid: empreintes.get(cid, (0, ""))[0] for cid in a_publier}, inchangees, sans


def analyser(ctx: Contexte, session_id: int, candidature_ids: list[int] | None = None, *,
             domaine: str | None = None, specialite_id: str | None = None,
             progression: Callable[[int, int], None] | None = None,
             annule: Callable[[], bool] | None = None) -> Apercu:
    """Which candidatures of the session (of the examen, of the spécialité, among those given) would get
    a new version, and the clashes that block the publication. Renders nothing (thousands of candidatures
    a second), yet run it in the background for a whole session."""
    exiger(ctx, P.CONVOCATIONS_PUBLIER)
    with ctx.lecture() as s:
        charger_ou_erreur(s, SessionExamen, session_id, "Cette session n'existe plus.")
        ids = _candidatures(s, session_id, candidature_ids, domaine, specialite_id)
    conflits = tuple(_conflits(ctx, session_id, None if candidature_ids is None and not domaine
                               and not specialite_id else set(ids)))
    a_publier: list[int] = []
    attendues: dict[int, int] = {}
    inchangees = sans = fait = 0
    interrompu = False
    if progression is not None:
        progression(0, len(ids))
    for lot in _lots(ids, TAILLE_ANALYSE):
        if annule is not None and annule():
            interrompu = True
            break
        with ctx.lecture() as s:
            p, v, i, n = analyser_lot(s, lot)
        a_publier += p
        attendues.update(v)
        inchangees += i
        sans += n
        fait += len(lot)
        if progression is not None:
            progression(fait, len(ids))
    return Apercu(session_id, tuple(a_publier), attendues, inchangees, sans, conflits, interrompu)


def _lots(ids: list[int], taille: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), taille):
        yield ids[i:i + taille]


def _corps_message(d: DonneesConvocation) -> str:
    lignes = [f"Votre convocation aux épreuves (version n°{d.version}) est disponible dans « Mes documents ».", ""]
    for e in d.epreuves:
        titre = f"{e.code} ({e.unite}) – {e.intitule}" if e.unite else f"{e.code} – {e.intitule}"
        if e.debut is None:
            lignes.append(f"{titre} : date communiquée ultérieurement")
        else:
            p = paris(e.debut)
            lieu = f", {e.centre}" + (f", salle {e.salle}" if e.salle else "")
            lignes.append(f"{titre} : {JOURS[p.weekday()]} {format_date(p)} à {p:%H:%M} (heure de Paris){lieu}")
    if not d.epreuves:
        lignes.append("Aucune épreuve ponctuelle n'est prévue pour cette candidature.")
    lignes += ["", "Le jour de l'examen, une pièce d'identité avec photographie vous sera demandée."]
    return "\n".join(lignes)


PROCESSUS_RENDU = 2            # worker processes rendering the PDFs of a large publication
SEUIL_PROCESSUS = 2 * TAILLE_LOT   # below, rendered here: starting the workers costs a second or two


@dataclass
class _LotRendu:
    maintenant: datetime
    donnees: list[DonneesConvocation]
    contenus: list[bytes] | None = None                       # rendered here
    travaux: list[Future[list[bytes]]] = field(default_factory=list)   # or by the workers, in order

    def resultat(self) -> list[bytes]:
        if self.contenus is None:
            self.contenus = [pdf for f in self.travaux for pdf in f.result()]
        return self.contenus

    def abandonner(self) -> None:
        for f in self.travaux:
            f.cancel()


def _preparer_lot(ctx: Contexte, lot: list[int], attendues: dict[int, int],
                  pool: ProcessPoolExecutor | None) -> _LotRendu:
    """Load a chunk (only the candidatures still at their analysed version) numbered N+1, and render it:
    here, or split between the workers (returns at once; the bytes come with :meth:`_LotRendu.resultat`).
    Outside any transaction: the database stays free for the other workstations meanwhile."""
    from ...documents.convocation import rendre, rendre_lot

    with ctx.lecture() as s:
        derniere = dict(s.execute(select(Document.candidature_id, Document.derniere_version)
                                  .where(Document.type == TypeDocument.CONVOCATION, Document.candidature_id.in_(lot))).all())
        restants = [cid for cid in lot if derniere.get(cid, 0) == attendues.get(cid, 0)]
        maintenant = ctx.clock.now()
        donnees = donnees_convocations(s, restants, version_par_candidature={
            cid: derniere.get(cid, 0) + 1 for cid in restants}, version_le=maintenant) if restants else []
    if pool is None or not donnees:
        return _LotRendu(maintenant, donnees, [rendre(d) for d in donnees])
    moitie = (len(donnees) + 1) // 2
    parts = [donnees[:moitie], donnees[moitie:]]
    return _LotRendu(maintenant, donnees, travaux=[pool.submit(rendre_lot, p) for p in parts if p])


def _ecrire_lot(ctx: Contexte, rendu: _LotRendu) -> list[int]:
    """One transaction: a new version, a message and an audit row for each rendered convocation whose
    number is still the next one (another workstation may have published some meanwhile)."""
    contenus = rendu.resultat()
    if not rendu.donnees:
        return []
    publiees = []
    with ctx.transaction() as s:
        ids = [d.candidature_id for d in rendu.donnees]
        derniere = dict(s.execute(select(Document.candidature_id, Document.derniere_version)
                                  .where(Document.type == TypeDocument.CONVOCATION, Document.candidature_id.in_(ids))).all())
        candidatures = {c.id: c for c in s.scalars(select(Candidature).where(Candidature.id.in_(ids)))}
        comptes = {c.id: c for c in s.scalars(select(CompteCandidat).where(
            CompteCandidat.id.in_({c.compte_id for c in candidatures.values()})))}
        for d, contenu in zip(rendu.donnees, contenus, strict=True):
            c = candidatures.get(d.candidature_id)
            if c is None or derniere.get(d.candidature_id, 0) + 1 != d.version:
                continue
            compte = comptes[c.compte_id]
            version = publier(s, ctx, c, TypeDocument.CONVOCATION, contenu,
                              nom_fichier(TypeDocument.CONVOCATION, d.numero_candidat, d.numero_inscription, d.version))
            version.publie_le = rendu.maintenant      # the date printed on it, exactly
            examen = f"{d.domaine} {d.specialite} - session {d.session}"
            message_candidat(s, ctx, c, compte, f"Convocation aux épreuves : {examen}", _corps_message(d))
            audit.enregistrer(s, ctx, "publication", "convocation", c.id,
                              libelle=f"Convocation aux épreuves version {d.version} – candidat "
                                      f"{d.numero_candidat}, inscription {d.numero_inscription}",
                              apres={"version": d.version, "epreuves": len(d.epreuves)})
            publiees.append(c.id)
    return publiees


def publier_convocations(ctx: Contexte, session_id: int, candidature_ids: list[int] | None = None, *,
                         taille_lot: int = TAILLE_LOT, domaine: str | None = None,
                         specialite_id: str | None = None, apercu: Apercu | None = None,
                         progression: Callable[[int, int], None] | None = None,
                         annule: Callable[[], bool] | None = None, processus: int | None = None) -> Rapport:
    """Publish version N+1 of the convocation of each candidature (of the session, or of those given)
    whose convocation changed since its last version; one transaction per chunk of candidatures, so a
    cancel (checked between chunks) leaves each one with its new version or without, and a re-run
    resumes. ``apercu``: the result of :func:`analyser` shown to the user (not analysed again).

    The PDFs are rendered before each chunk's transaction, by ``processus`` spawned workers (default:
    :data:`PROCESSUS_RENDU` from :data:`SEUIL_PROCESSUS` convocations on, else none), the next chunk
    being rendered while this one is written."""
    exiger(ctx, P.CONVOCATIONS_PUBLIER)
    if apercu is None:
        apercu = analyser(ctx, session_id, candidature_ids, domaine=domaine, specialite_id=specialite_id)
        conflits = apercu.conflits
    else:   # the clashes may have been solved (or made) since the preview
        conflits = tuple(_conflits(ctx, session_id, set(apercu.a_publier)))
    _refuser_si_conflits(conflits)
    ids = list(apercu.a_publier)
    if processus is None:
        processus = PROCESSUS_RENDU if len(ids) >= SEUIL_PROCESSUS else 0
    if progression is not None:
        progression(0, len(ids))
    # spawn, not fork: a forked copy of a Qt application (threads, open connections) is unsafe.
    pool = ProcessPoolExecutor(max_workers=processus, mp_context=get_context("spawn")) if processus > 0 else None
    publiees: list[int] = []
    lots = list(_lots(ids, taille_lot))
    suivant: _LotRendu | None = None
    fait = 0
    try:
        for i, lot in enumerate(lots):
            if annule is not None and annule():
                return Rapport(tuple(publiees), apercu.inchangees, apercu.sans_epreuve, interrompue=True)
            rendu = suivant or _preparer_lot(ctx, lot, apercu.attendues, pool)
            suivant = None
            if pool is not None and i + 1 < len(lots):     # the workers render the next chunk meanwhile
                suivant = _preparer_lot(ctx, lots[i + 1], apercu.attendues, pool)
            publiees += _ecrire_lot(ctx, rendu)
            fait = min(len(ids), fait + taille_lot)
            if progression is not None:
                progression(fait, len(ids))
    except BrokenProcessPool as exc:     # a worker killed (memory, task manager…)
        raise DomainError(f"La publication des convocations s'est arrêtée après {_nombre(len(publiees))} "
                          "convocation(s), conservées : relancez-la pour publier les suivantes.") from exc
    finally:
        if suivant is not None:
            suivant.abandonner()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return Rapport(tuple(publiees), apercu.inchangees, apercu.sans_epreuve)
