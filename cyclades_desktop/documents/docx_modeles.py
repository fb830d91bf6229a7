"""Letters from the office's DOCX templates (forms/README.md): ``{{ champ }}`` placeholders filled with
python-docx, a table row holding ``{{ piece.libelle }}`` repeated once per piece.

Word splits a paragraph's text into runs wherever it likes (spell-check marks, an edit in the middle of
a word, a change of language), so a placeholder typed as « {{ nom }} » may lie across three runs. The
text is therefore read per paragraph across all its ``w:t`` nodes; a placeholder is replaced in the
run where it starts (keeping that run's formatting) and removed from the following ones, other runs
untouched. Body, tables, text boxes, headers and footers are all covered.

A template with an unknown field or a broken placeholder (« {{ nom » without its closing braces) is
refused with the list of problems: nothing is produced, nothing is ever printed raw. Data in, bytes
out: no database, no Qt."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from zipfile import BadZipFile

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml.etree import _Element

from ..rules.errors import DomainError

NOM = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?"
MARQUE = re.compile(r"\{\{\s*(" + NOM + r")\s*\}\}")
_OUVRANTE = "{{"
_FERMANTE = "}}"
W_P, W_T, W_TR, W_BR, W_R = qn("w:p"), qn("w:t"), qn("w:tr"), qn("w:br"), qn("w:r")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class Probleme:
    texte: str        # the placeholder as typed: "{{ nom_inconu }}", "{{ nom"
    raison: str       # "champ inconnu", "accolades non fermées"…
    endroit: str      # "corps du courrier", "en-tête", "pied de page"

    def __str__(self) -> str:
        return f"« {self.texte} » ({self.raison}, {self.endroit})"


class ModeleInvalide(DomainError):
    """The template cannot be used as it is: its problems, in a French message."""

    def __init__(self, modele: str, problemes: Sequence[Probleme]) -> None:
        self.problemes = tuple(problemes)
        lignes = "\n".join(f"– {p}" for p in self.problemes)
        super().__init__(f"Le modèle « {modele} » contient des champs inconnus ou mal écrits ; aucun courrier "
                         f"n'a été produit. Corrigez le modèle dans Word puis recommencez :\n{lignes}")


@dataclass(frozen=True)
class Champs:
    """What a template may use: plain fields, and the lists whose items fill repeated table rows
    (``{"piece": {"libelle", "statut", …}}`` for ``{{ piece.libelle }}``)."""

    simples: frozenset[str]
    listes: Mapping[str, frozenset[str]]


# --- reading a template ----------------------------------------------------------------------------

def _ouvrir(contenu: bytes, modele: str):  # type: ignore[no-untyped-def]
    try:
        return Document(BytesIO(contenu))
    except (PackageNotFoundError, BadZipFile) as exc:
        raise DomainError(f"Le modèle « {modele} » n'est pas un document Word (.docx) lisible.") from exc
    except Exception as exc:  # a damaged zip or XML: still a French message, never a traceback
        raise DomainError(f"Le modèle « {modele} » est endommagé et ne peut pas être lu.") from exc


def _parties(document) -> Iterator[tuple[_Element, str]]:  # type: ignore[no-untyped-def]
    """The XML roots holding text: the body, then every header and footer part."""
    yield document.part.element, "corps du courrier"
    vues: set[int] = set()
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        partie = rel.target_part
        if id(partie) in vues:
            continue
        vues.add(id(partie))
        yield partie.element, "en-tête" if rel.reltype == RT.HEADER else "pied de page"


def _textes(p: _Element) -> list[_Element]:
    """The paragraph's own w:t nodes, not those of a paragraph nested in a text box inside it."""
    out = []
    for t in p.iter(W_T):
        parent = t.getparent()
        while parent is not None and parent.tag != W_P:
            parent = parent.getparent()
        if parent is p:
            out.append(t)
    return out


def _texte(p: _Element) -> str:
    return "".join(t.text or "" for t in _textes(p))


def _cassees(texte: str) -> list[str]:
    """Opening or closing braces that do not form a complete ``{{ champ }}``, as typed."""
    masque = MARQUE.sub(lambda m: "\x00" * len(m.group(0)), texte)
    out: list[str] = []
    i = 0
    while True:
        a, b = masque.find(_OUVRANTE, i), masque.find(_FERMANTE, i)
        if a == -1 and b == -1:
            return out
        if a != -1 and (b == -1 or a < b):
            fin, suivant = masque.find(_FERMANTE, a + 2), masque.find(_OUVRANTE, a + 2)
            if fin != -1 and (suivant == -1 or fin < suivant):
                out.append(texte[a:fin + 2])        # closed, but not a valid name: "{{ nom inconnu }}"
                i = fin + 2
            else:
                bout = min(a + 25, suivant if suivant != -1 else len(texte))
                out.append(texte[a:bout].split("\x00")[0].rstrip())
                i = a + 2
        else:
            out.append(texte[max(0, b - 23):b + 2].replace("\x00", "").lstrip())
            i = b + 2


def _dans_ligne_de_tableau(p: _Element) -> bool:
    parent = p.getparent()
    while parent is not None:
        if parent.tag == W_TR:
            return True
        parent = parent.getparent()
    return False


def analyser(contenu: bytes, champs: Champs, modele: str = "modèle") -> list[Probleme]:
    """Every unknown field and broken placeholder of the template (empty: the template is usable)."""
    document = _ouvrir(contenu, modele)
    problemes: list[Probleme] = []
    for racine, endroit in _parties(document):
        for p in racine.iter(W_P):
            texte = _texte(p)
            if "{" not in texte and "}" not in texte:
                continue
            for bout in _cassees(texte):
                raison = ("accolades non fermées" if bout.startswith(_OUVRANTE) and not bout.endswith(_FERMANTE)
                          else "accolades sans ouverture" if not bout.startswith(_OUVRANTE)
                          else "nom de champ mal écrit")
                problemes.append(Probleme(bout, raison, endroit))
            for m in MARQUE.finditer(texte):
                nom = m.group(1)
                if "." in nom:
                    liste, attribut = nom.split(".", 1)
                    if liste not in champs.listes:
                        problemes.append(Probleme(m.group(0), "liste inconnue", endroit))
                    elif attribut not in champs.listes[liste]:
                        problemes.append(Probleme(m.group(0), "champ inconnu", endroit))
                    elif not _dans_ligne_de_tableau(p):
                        problemes.append(Probleme(m.group(0), "utilisable seulement dans une ligne de tableau",
                                                  endroit))
                elif nom not in champs.simples:
                    problemes.append(Probleme(m.group(0), "champ inconnu", endroit))
    return problemes


# --- filling ---------------------------------------------------------------------------------------

def _remplacer(p: _Element, valeur_de: Callable[[str], str]) -> None:
    textes = _textes(p)
    if not textes:
        return
    morceaux = [t.text or "" for t in textes]
    plein = "".join(morceaux)
    marques = list(MARQUE.finditer(plein))
    if not marques:
        return
    debuts = []
    position = 0
    for m in morceaux:
        debuts.append(position)
        position += len(m)

    def situer(offset: int, fin: bool) -> tuple[int, int]:
        # The node holding character ``offset`` (for an end, the node holding the character before it).
        for k in range(len(morceaux) - 1, -1, -1):
            if (debuts[k] < offset if fin else debuts[k] <= offset) and morceaux[k]:
                return k, offset - debuts[k]
        return 0, offset

    # From the last placeholder to the first, so that earlier offsets stay valid.
    for m in reversed(marques):
        i, a = situer(m.start(), fin=False)
        j, b = situer(m.end(), fin=True)
        valeur = valeur_de(m.group(1))
        if i == j:
            morceaux[i] = morceaux[i][:a] + valeur + morceaux[i][b:]
        else:
            morceaux[i] = morceaux[i][:a] + valeur
            for k in range(i + 1, j):
                morceaux[k] = ""
            morceaux[j] = morceaux[j][b:]
    for t, texte in zip(textes, morceaux, strict=True):
        _ecrire(t, texte)


def _ecrire(t: _Element, texte: str) -> None:
    """Set a w:t's text; line breaks in a value (an address) become w:br in the same run."""
    lignes = texte.split("\n")
    t.text = lignes[0]
    t.set(_XML_SPACE, "preserve")
    courant = t
    for ligne in lignes[1:]:
        br = t.makeelement(W_BR, {})
        courant.addnext(br)
        suivant = t.makeelement(W_T, {})
        suivant.text = ligne
        suivant.set(_XML_SPACE, "preserve")
        br.addnext(suivant)
        courant = suivant


def _listes_de_la_ligne(tr: _Element, listes: Mapping[str, object]) -> set[str]:
    noms = set()
    for p in tr.iter(W_P):
        for m in MARQUE.finditer(_texte(p)):
            if "." in m.group(1) and m.group(1).split(".", 1)[0] in listes:
                noms.add(m.group(1).split(".", 1)[0])
    return noms


def remplir(contenu: bytes, champs: Champs, valeurs: Mapping[str, str],
            listes: Mapping[str, Sequence[Mapping[str, str]]], modele: str = "modèle") -> bytes:
    """The letter: every placeholder replaced, list rows repeated. Raises :class:`ModeleInvalide`
    (nothing produced) when the template has unknown fields or broken placeholders."""
    problemes = analyser(contenu, champs, modele)
    if problemes:
        raise ModeleInvalide(modele, problemes)
    document = _ouvrir(contenu, modele)

    def simple(nom: str) -> str:
        return str(valeurs.get(nom, ""))

    for racine, _endroit in _parties(document):
        for tr in list(racine.iter(W_TR)):
            noms = _listes_de_la_ligne(tr, listes)
            if not noms:
                continue
            nom = sorted(noms)[0]
            for element in listes.get(nom, ()):
                copie = copy.deepcopy(tr)
                for p in list(copie.iter(W_P)):
                    _remplacer(p, lambda n, e=element: str(e.get(n.split(".", 1)[1], "")) if "." in n
                               else simple(n))
                tr.addprevious(copie)
            # An empty list leaves no row (the table keeps its heading).
            tr.getparent().remove(tr)
        for p in list(racine.iter(W_P)):
            _remplacer(p, simple)
    sortie = BytesIO()
    document.save(sortie)
    return sortie.getvalue()


def texte_du_document(contenu: bytes) -> str:
    """All the text (body, tables, headers, footers), one paragraph a line: for checks and tests."""
    document = Document(BytesIO(contenu))
    lignes = []
    for racine, _endroit in _parties(document):
        for p in racine.iter(W_P):
            lignes.append("".join(
                "\n" if e.tag == W_BR else (e.text or "") for e in p.iter(W_T, W_BR)))
    return "\n".join(lignes)
