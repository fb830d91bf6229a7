"""Importing the CCF grades the établissements send (docs/domaine/resultats.md#notes, RES-7): a report line
by line (line, column, French message) before anything is written, then all the lines or none.

Columns, in any order, named as people name them (accents, case and « N° » ignored): « N° candidat » or
« N° anonymat », « Unité » (U11 or E1-A), « Note » (12,5 · 12.5 · ABS · ABJ · DI); optional « Spécialité »
when a candidate has several candidatures in the session. Other columns (names…) are ignored. A grade
entered by hand is never replaced by an import: a different one is reported; an imported one is
replaced by the new file's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Anonymat, Candidature, CompteCandidat, NoteUnite, SessionExamen, Specialite
from ...rules.comptes import numero_candidat_valide
from ...rules.epreuves import BENEFICE, DISPENSE, NON_INSCRIT
from ...rules.errors import DomainError
from ...rules.resultats import (
    Note,
    OrigineNote,
    analyser_note,
    colonnes_note,
    meme_note,
    note_stockee,
    numero_anonymat_valide,
    texte_note,
)
from ..noyau import SYSTEME, Contexte, P, audit, charger_ou_erreur, exiger
from .commun import ETATS_NOTES, Referentiel, identites, specialites_autorisees, unite_par_code_ou_numero
from .controles_notes import Dossier, charger_dossiers, refus
from .tableaux import FichierIllisible, cle_colonne, lire_tableau

COLONNES = {
    "numero_candidat": ("n candidat", "no candidat", "numero candidat", "numero de candidat", "num candidat",
                        "n de candidat", "candidat"),
    "anonymat": ("n anonymat", "numero anonymat", "numero d anonymat", "anonymat", "n d anonymat"),
    "unite": ("unite", "code unite", "epreuve", "code epreuve", "u"),
    "note": ("note", "note 20", "note sur 20"),
    "specialite": ("specialite", "code specialite"),
}
LIBELLES = {"numero_candidat": "N° candidat", "anonymat": "N° anonymat", "unite": "Unité", "note": "Note",
            "specialite": "Spécialité", "": ""}
ATTENDU = "N° candidat (ou N° anonymat), Unité, Note ; facultative : Spécialité"


@dataclass(frozen=True)
class ErreurImport:
    ligne: int            # in the file, header = 1; 0 for the file itself
    colonne: str          # « Note »; "" for the whole line
    message: str

    @property
    def texte(self) -> str:
        ou = f"Ligne {self.ligne}" if self.ligne else "Fichier"
        return f"{ou}{', colonne « ' + self.colonne + ' »' if self.colonne else ''} : {self.message}"


@dataclass(frozen=True)
class LigneImport:
    ligne: int
    candidature_id: int
    candidat: str         # « NOM Prénoms (N° …) », or « Copie 123456789 » for an anonymous copy
    unite_code: str
    note: str             # « 12,50 »
    action: str           # « nouvelle », « remplacée », « inchangée »


@dataclass(frozen=True)
class RapportImportNotes:
    fichier: str
    encodage: str
    lignes: tuple[LigneImport, ...]
    erreurs: tuple[ErreurImport, ...]
    ecrites: int = 0

    @property
    def applicable(self) -> bool:
        return not self.erreurs and any(x.action != "inchangée" for x in self.lignes)


class ImportRefuse(DomainError):
    """Nothing was written: the file has errors (``rapport`` lists them)."""

    def __init__(self, rapport: RapportImportNotes) -> None:
        n = len(rapport.erreurs)
        super().__init__(f"Le fichier contient {n} erreur{'s' if n > 1 else ''} : aucune note n'a été enregistrée. "
                         "Corrigez le fichier puis importez-le de nouveau.")
        self.rapport = rapport


@dataclass
class _Lu:
    ligne: int
    dossier: Dossier
    code: str
    note: Note
    anonyme: str | None


def _colonnes(entete: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, titre in enumerate(entete):
        cle = cle_colonne(titre)
        for nom, alias in COLONNES.items():
            if cle in alias and nom not in out:
                out[nom] = i
    return out


def _numero(brut: str) -> str:
    """A N° candidat as a spreadsheet may have kept it: spaces dropped, the leading 0 it removed put back."""
    n = "".join(brut.split())
    return "0" + n if len(n) == 10 and n.isdigit() and numero_candidat_valide("0" + n) else n


def _analyser(s: Session, ctx: Contexte, contenu: bytes, nom_fichier: str, session_id: int
              ) -> tuple[RapportImportNotes, list[_Lu]]:
    charger_ou_erreur(s, SessionExamen, session_id, "Cette session n'existe plus.")
    try:
        tableau = lire_tableau(contenu, nom_fichier)
    except FichierIllisible as exc:
        return RapportImportNotes(nom_fichier, "", (), (ErreurImport(0, "", exc.message),)), []
    lignes = [(n, c) for n, c in tableau.lignes if any(c)]
    if not lignes:
        return RapportImportNotes(nom_fichier, tableau.encodage, (), (ErreurImport(0, "", "Le fichier est vide."),)), []
    (n_entete, entete), donnees = lignes[0], lignes[1:]
    cols = _colonnes(entete)
    manquantes = [LIBELLES[c] for c in ("unite", "note") if c not in cols]
    if "numero_candidat" not in cols and "anonymat" not in cols:
        manquantes.insert(0, "N° candidat")
    if manquantes:
        return RapportImportNotes(nom_fichier, tableau.encodage, (), tuple(
            ErreurImport(n_entete, "", f"Colonne manquante : « {m} ». Colonnes attendues : {ATTENDU}.")
            for m in manquantes)), []

    def cellule(cells: tuple[str, ...], nom: str) -> str:
        i = cols.get(nom)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    # Everything the lines name, read in a constant number of queries.
    numeros = {_numero(cellule(c, "numero_candidat")) for _, c in donnees} - {""}
    anonymats = {a.numero: a for a in s.scalars(select(Anonymat).where(
        Anonymat.session_id == session_id, Anonymat.numero.in_(sorted({cellule(c, "anonymat") for _, c in donnees}))))}
    par_compte: dict[str, list[Candidature]] = {}
    for c, numero in s.execute(select(Candidature, CompteCandidat.numero_candidat)
                               .join(CompteCandidat, CompteCandidat.id == Candidature.compte_id)
                               .where(CompteCandidat.numero_candidat.in_(sorted(numeros)),
                                      Candidature.session_id == session_id, Candidature.etat.in_(ETATS_NOTES))):
        par_compte.setdefault(numero, []).append(c)
    ids = {c.id for cs in par_compte.values() for c in cs} | {a.candidature_id for a in anonymats.values()}
    dossiers = charger_dossiers(s, Referentiel(s), ids)
    specialites = {sp.id: sp for sp in s.scalars(select(Specialite))}
    autorisees = specialites_autorisees(s, ctx)
    noms = identites(s, ids)
    erreurs: list[ErreurImport] = []
    lus: list[_Lu] = []
    vues: list[LigneImport] = []
    vus: dict[tuple[int, str], int] = {}
    for n, cells in donnees:
        def err(col: str, message: str, n: int = n) -> None:
            erreurs.append(ErreurImport(n, LIBELLES[col], message))

        numero, anonymat, unite = (cellule(cells, "numero_candidat"), cellule(cells, "anonymat"),
                                   cellule(cells, "unite"))
        d: Dossier | None = None
        anonyme: str | None = None
        if anonymat:
            a = anonymats.get(anonymat)
            if a is None:
                err("anonymat", "Numéro d'anonymat mal saisi (9 chiffres, le dernier est une clé de contrôle)."
                    if not numero_anonymat_valide(anonymat) else f"Numéro d'anonymat inconnu dans cette session : "
                                                                 f"{anonymat}.")
                continue
            d, anonyme = dossiers.get(a.candidature_id), anonymat
            unite = unite or a.epreuve_code
            if d is not None and (u := unite_par_code_ou_numero(d.unites, unite)) and u.code != a.epreuve_code:
                err("unite", f"Cette copie est celle de l'épreuve {a.epreuve_code}, pas de {unite}.")
                continue
        elif numero:
            num = _numero(numero)
            if not numero_candidat_valide(num):
                err("numero_candidat", f"N° candidat invalide : 11 chiffres, le dernier est une clé de contrôle "
                                       f"(lu : « {numero} »).")
                continue
            candidatures = par_compte.get(num, [])
            if sp := cellule(cells, "specialite"):
                candidatures = [c for c in candidatures if c.specialite_id == sp or (
                    c.specialite_id and specialites[c.specialite_id].code == sp)]
            if len(candidatures) > 1:
                candidatures = [c for c in candidatures if c.id in dossiers
                                and unite_par_code_ou_numero(dossiers[c.id].unites, unite) is not None]
            if not candidatures:
                err("numero_candidat", f"Aucune candidature inscrite à cette session pour le N° candidat {num}"
                                       f"{' dans cette spécialité' if sp else ''}.")
                continue
            if len(candidatures) > 1:
                err("specialite", "Ce candidat a plusieurs candidatures dans la session : indiquez la spécialité.")
                continue
            d = dossiers.get(candidatures[0].id)
        else:
            err("numero_candidat", "Indiquez le N° candidat ou le N° d'anonymat.")
            continue
        if d is None:
            err("", "Cette candidature n'est plus inscrite.")
            continue
        sp_id = d.candidature.specialite_id
        if autorisees is not None and sp_id not in autorisees:
            err("", f"La spécialité « {specialites[sp_id].intitule if sp_id else '?'} » n'est pas dans votre "
                    "portefeuille.")
            continue
        u = unite_par_code_ou_numero(d.unites, unite)
        if u is None:
            err("unite", f"Unité inconnue pour la spécialité « {specialites[sp_id].intitule if sp_id else '?'} » : "
                         f"{unite or '(vide)'}.")
            continue
        note, message = analyser_note(cellule(cells, "note"))
        if message is not None or note is None:
            err("note", message or "Note absente.")
            continue
        if m := refus(d, u.code, note, par_lot=anonyme is not None):
            # The unit itself is refused (dispensed, not sat, in bénéfice), or this grade for it.
            err("unite" if d.positions.get(u.code) in (DISPENSE, NON_INSCRIT, BENEFICE) else "note", m)
            continue
        if (d.candidature.id, u.code) in vus:
            err("", f"Note en double dans le fichier pour cette unité (déjà ligne {vus[(d.candidature.id, u.code)]}).")
            continue
        vus[(d.candidature.id, u.code)] = n
        existante = d.notes.get((u.code, 1))
        action = "nouvelle"
        if existante is not None:
            avant = note_stockee(existante.valeur, existante.marque)
            if meme_note(avant, note):
                action = "inchangée"
            elif existante.origine != OrigineNote.IMPORT_CCF:
                err("note", f"Une note différente est déjà saisie ({texte_note(avant)}, par {existante.saisie_par}) : "
                            "corrigez-la par la saisie si elle est fausse.")
                continue
            else:
                action = "remplacée"
        lus.append(_Lu(n, d, u.code, note, anonyme))
        candidat = f"Copie {anonyme}" if anonyme and u.code in d.anonymes else noms[d.candidature.id].libelle
        vues.append(LigneImport(n, d.candidature.id, candidat, u.code, texte_note(note), action))
    return RapportImportNotes(nom_fichier, tableau.encodage, tuple(vues), tuple(erreurs)), lus


def analyser_import_notes(ctx: Contexte, contenu: bytes, nom_fichier: str, session_id: int) -> RapportImportNotes:
    """The report of what the file would write, line by line, and its errors; nothing is written."""
    exiger(ctx, P.NOTES_SAISIR)
    with ctx.lecture() as s:
        return _analyser(s, ctx, contenu, nom_fichier, session_id)[0]


def appliquer_import_notes(ctx: Contexte, contenu: bytes, nom_fichier: str, session_id: int) -> RapportImportNotes:
    """Analyse again and write every line, or nothing when a single line is wrong (ImportRefuse)."""
    exiger(ctx, P.NOTES_SAISIR)
    agent = (ctx.agent or SYSTEME).login
    with ctx.transaction() as s:
        rapport, lus = _analyser(s, ctx, contenu, nom_fichier, session_id)
        if rapport.erreurs:
            raise ImportRefuse(rapport)
        ecrites = 0
        for x in lus:
            n = x.dossier.notes.get((x.code, 1))
            if n is not None and meme_note(note_stockee(n.valeur, n.marque), x.note):
                continue
            avant = texte_note(note_stockee(n.valeur, n.marque)) if n else None
            if n is None:
                n = NoteUnite(candidature_id=x.dossier.candidature.id, unite_code=x.code, groupe=1)
                s.add(n)
                x.dossier.notes[(x.code, 1)] = n
            n.valeur, n.marque = colonnes_note(x.note)
            n.origine, n.saisie_par, n.saisie_le = OrigineNote.IMPORT_CCF, agent, ctx.clock.now()
            entite, entite_id = (("copie", x.anonyme) if x.anonyme and x.code in x.dossier.anonymes
                                 else ("candidature", x.dossier.candidature.id))
            audit.enregistrer(s, ctx, "import_note", entite, entite_id,
                              libelle=f"Note de {x.code} importée ({nom_fichier}, ligne {x.ligne})",
                              avant={x.code: avant}, apres={x.code: texte_note(x.note)})
            ecrites += 1
        audit.enregistrer(s, ctx, "import_notes", "session", session_id, libelle=f"Import des notes : {nom_fichier}",
                          apres={"lignes": len(lus), "ecrites": ecrites, "encodage": rapport.encodage})
        return RapportImportNotes(rapport.fichier, rapport.encodage, rapport.lignes, (), ecrites)
