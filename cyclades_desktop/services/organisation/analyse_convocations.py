"""Which convocations changed since their last version (content fingerprints); the clashes that block them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import LargeBinary, and_, func, literal, select
from sqlalchemy.orm import Session

from ...documents.donnees_convocation import OCTETS_EMPREINTE, empreinte, lire_empreinte
from ...models import Affectation, Candidature, Document, DocumentVersion, SessionExamen
from ...rules.inscriptions import EtatCandidature, TypeDocument
from ...rules.temps import format_date
from ..noyau import Contexte, P, charger_ou_erreur, exiger
from .contenu_convocations import donnees_convocations

MAX_CONFLITS_AFFICHES = 10


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


def nombre_affiche(n: int) -> str:
    """« 1 234 » (narrow no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u202f")


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
                     f"{nombre_affiche(n)} candidatures recevront une nouvelle version de leur convocation")
            if premieres:
                texte += (" (première publication)" if premieres == n == 1 else
                          f" (dont {nombre_affiche(premieres)} première(s) publication(s))")
        details = []
        if self.inchangees:
            details.append(f"{nombre_affiche(self.inchangees)} inchangée(s)")
        if self.sans_epreuve:
            details.append(f"{nombre_affiche(self.sans_epreuve)} candidature(s) sans épreuve affectée")
        texte += (f" ; {' ; '.join(details)}." if details else ".")
        if self.interrompu:
            texte = "Analyse interrompue : " + texte
        return texte


def conflits_concernes(ctx: Contexte, session_id: int,
                       ids: set[int] | None = None) -> list:  # type: ignore[type-arg]
    """The organisation's clashes of the session; with ``ids``, only those involving one of them."""
    from .conflits_horaires import conflits

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
    for lot in par_lots(sorted(set(candidature_ids)), TAILLE_ANALYSE):
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
    conflits = tuple(conflits_concernes(ctx, session_id, None if candidature_ids is None and not domaine
                                        and not specialite_id else set(ids)))
    a_publier: list[int] = []
    attendues: dict[int, int] = {}
    inchangees = sans = fait = 0
    interrompu = False
    if progression is not None:
        progression(0, len(ids))
    for lot in par_lots(ids, TAILLE_ANALYSE):
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


def par_lots(ids: list[int], taille: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), taille):
        yield ids[i:i + taille]
