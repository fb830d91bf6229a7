"""The catalogue of pièces justificatives in the référentiel, edited by the chef de bureau
(docs/domaine/referentiel.md#catalogue-pieces). A change applies to the candidatures saved
afterwards: the pieces already required from a candidature keep the libellé, mode and deadline they
were created with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Domaine, Justificatif, PieceCatalogue
from ...rules import pieces as regles
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.texte import espaces_normalises, verifier_caracteres
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger

OBLIGATOIRE = "Ce champ est obligatoire."
LIBELLE_MAX = 1000
# The condition keys and their French sentences live with the rule that reads them.
CONDITIONS = regles.CONDITIONS
MODES = {regles.EN_LIGNE: "En ligne", regles.COURRIER: "Courrier"}
_CODE = re.compile(r"^[A-Z0-9_]{1,60}$")


@dataclass(frozen=True)
class PieceReferentiel:
    code: str
    libelle: str
    condition_cle: str
    condition_libelle: str        # the key in clear French (or a warning for an unknown key)
    mode_depot: str               # « en ligne » or « courrier », as candidatures will get it
    mode_depot_brut: str | None   # as stored (the shipped catalogue has « en ligne (…) » and empty ones)
    domaines: tuple[str, ...]
    utilisations: int             # pieces of candidatures created from it


def libelle_condition(cle: str) -> str:
    return CONDITIONS.get(cle, f"Clé inconnue « {cle} » : la pièce n'est jamais demandée")


def _vue(p: PieceCatalogue, utilisations: int) -> PieceReferentiel:
    mode = regles.mode_de(regles.PieceCatalogue(p.code, p.libelle, p.condition_cle, p.mode_depot, ()))
    return PieceReferentiel(p.code, p.libelle, p.condition_cle, libelle_condition(p.condition_cle), mode,
                            p.mode_depot, tuple(p.domaines or ()), utilisations)


def _utilisations(s: Session) -> dict[str, int]:
    return dict(s.execute(select(Justificatif.piece_code, func.count()).group_by(Justificatif.piece_code)).all())


def lister(ctx: Contexte) -> list[PieceReferentiel]:
    exiger(ctx, P.REFERENTIEL_LIRE)
    with ctx.lecture() as s:
        n = _utilisations(s)
        return [_vue(p, n.get(p.code, 0)) for p in s.scalars(select(PieceCatalogue).order_by(PieceCatalogue.code))]


def _valider(s: Session, libelle: str, condition_cle: str, mode_depot: str,
             domaines: list[str] | tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    e: dict[str, str] = {}
    if m := verifier_caracteres(libelle):
        e["libelle"] = m
    elif not libelle:
        e["libelle"] = OBLIGATOIRE
    elif len(libelle) > LIBELLE_MAX:
        e["libelle"] = f"{LIBELLE_MAX} caractères au maximum."
    if condition_cle not in CONDITIONS:
        e["condition_cle"] = ("Condition inconnue : choisissez-en une dans la liste (exemple : « always », "
                              "toujours exigée).")
    if mode_depot not in MODES:
        e["mode_depot"] = "Choisissez le mode de dépôt : « en ligne » ou « courrier »."
    connus = [d for d in s.scalars(select(Domaine.code).order_by(Domaine.ordre))]
    choisis = [d for d in connus if d in set(domaines)]
    inconnus = sorted(set(domaines) - set(connus))
    if inconnus:
        e["domaines"] = f"Domaine inconnu : {', '.join(inconnus)} (attendu : {', '.join(connus)})."
    elif not choisis:
        e["domaines"] = "Choisissez au moins un domaine."
    return e, choisis


def _instantane(p: PieceCatalogue) -> dict[str, object]:
    return {"libelle": p.libelle, "condition_cle": p.condition_cle, "mode_depot": p.mode_depot,
            "domaines": list(p.domaines or [])}


def modifier_piece(ctx: Contexte, code: str, libelle: str, condition_cle: str, mode_depot: str,
                   domaines: list[str] | tuple[str, ...], *, attendu: PieceReferentiel | None = None
                   ) -> PieceReferentiel:
    """Replace a piece's libellé, condition, mode and domaines. ``attendu`` (the piece as the screen
    read it) refuses the change when another workstation modified it in the meantime."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    lib = espaces_normalises(libelle)
    with ctx.transaction() as s:
        p = charger_ou_erreur(s, PieceCatalogue, code, f"La pièce {code} n'existe plus dans le référentiel.")
        if attendu is not None and (p.libelle, p.condition_cle, p.mode_depot, tuple(p.domaines or ())) != (
                attendu.libelle, attendu.condition_cle, attendu.mode_depot_brut, attendu.domaines):
            raise ConflictError(f"La pièce {code} a été modifiée entre-temps sur un autre poste : rechargez la "
                                "liste.")
        e, choisis = _valider(s, lib, condition_cle, mode_depot, domaines)
        if e:
            raise ValidationError(e)
        avant = _instantane(p)
        if condition_cle != p.condition_cle:
            p.condition = None     # the shipped explanation described the old condition
        p.libelle, p.condition_cle, p.mode_depot, p.domaines = lib, condition_cle, mode_depot, choisis
        s.flush()
        av, ap = audit.difference(avant, _instantane(p))
        if ap:
            audit.enregistrer(s, ctx, "modification", "piece_catalogue", code, libelle=f"Pièce {code}",
                              avant=av, apres=ap)
        return _vue(p, _utilisations(s).get(code, 0))


def ajouter_piece(ctx: Contexte, code: str, libelle: str, condition_cle: str, mode_depot: str,
                  domaines: list[str] | tuple[str, ...]) -> PieceReferentiel:
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    code_n = (code or "").strip().upper()
    lib = espaces_normalises(libelle)
    with ctx.transaction() as s:
        e, choisis = _valider(s, lib, condition_cle, mode_depot, domaines)
        if not code_n:
            e["code"] = OBLIGATOIRE
        elif not _CODE.match(code_n):
            e["code"] = "Lettres sans accents, chiffres et soulignés, 60 caractères au maximum (exemple : R408)."
        elif s.get(PieceCatalogue, code_n) is not None:
            e["code"] = f"La pièce {code_n} existe déjà."
        if e:
            raise ValidationError(e)
        p = PieceCatalogue(code=code_n, libelle=lib, condition_cle=condition_cle, mode_depot=mode_depot,
                           domaines=choisis, sources=[])
        s.add(p)
        s.flush()
        audit.enregistrer(s, ctx, "creation", "piece_catalogue", code_n, libelle=f"Pièce {code_n}",
                          apres=_instantane(p))
        return _vue(p, 0)


def supprimer_piece(ctx: Contexte, code: str) -> None:
    """Only a piece no candidature was asked for: the others stay (change their condition instead)."""
    exiger(ctx, P.REFERENTIEL_ECRIRE)
    with ctx.transaction() as s:
        p = charger_ou_erreur(s, PieceCatalogue, code, f"La pièce {code} n'existe plus dans le référentiel.")
        if n := _utilisations(s).get(code, 0):
            raise DomainError(f"La pièce {code} est déjà demandée à {n} candidature{'s' if n > 1 else ''} : elle "
                              "ne peut pas être supprimée. Pour ne plus la demander, modifiez sa condition ou "
                              "ses domaines.")
        audit.enregistrer(s, ctx, "suppression", "piece_catalogue", code, libelle=f"Pièce {code}",
                          avant=_instantane(p))
        s.delete(p)
