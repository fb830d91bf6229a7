"""Verification of the audit trail: every row against its hash or its seal (HMAC under the office's
key), every link against the row before, and the head against every seal found outside the database
(docs/domaine/rgpd.md#journal-audit). ``audit.verifier_chaine`` is the name callers use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ...models import AuditEntry
from ...rules.audit import (
    ACTION_RESTAURATION,
    GENESE,
    Anomalie,
    Restauration,
    Sceau,
    confronter_sceaux,
    contenu_altere,
    contenu_canonique,
    empreinte_sha256,
    en_utc,
    identifiant_de,
    lien_rompu,
    non_authentifiees,
    non_scellee,
    sans_empreinte,
)
from . import scellement
from .contexte import Contexte
from .permissions import P, exiger

TAILLE_LOT = 5000
MAX_ANOMALIES = 50           # listed one by one; beyond, only counted
SANS_SCEAU = ("Aucun sceau n'a été trouvé (fichier des sceaux, manifestes des sauvegardes) : la suppression "
              "des dernières lignes ne serait pas détectée. Scellez le journal : cyclades-desktop-admin "
              "verifier-audit --sceller.")


def _pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


@dataclass(frozen=True)
class RapportChaine:
    """The outcome of a walk over the whole trail."""

    intacte: bool
    nombre: int                              # rows checked
    derniere_empreinte: str                  # the head, also written in the seals
    dernier_id: int | None = None
    anomalies: tuple[Anomalie, ...] = ()     # the first MAX_ANOMALIES, in the trail's order
    nombre_anomalies: int = 0
    scellees: int = 0                        # rows authenticated by the office's key
    anciennes: int = 0                       # rows from before the key (bare SHA-256)
    sceaux_concordants: int = 0
    remarques: tuple[str, ...] = ()

    @property
    def entree_id(self) -> int | None:
        """The first row found wrong."""
        return self.anomalies[0].ligne if self.anomalies else None

    @property
    def alteree(self) -> bool:
        """Something is wrong, not merely unverifiable for want of the key."""
        return any(a.grave for a in self.anomalies)

    @property
    def message(self) -> str:
        entrees = f"{_pluriel(self.nombre, 'entrée')} vérifiée{'s' if self.nombre > 1 else ''}"
        if self.intacte:
            lignes = [f"La chaîne d'audit est intacte ({entrees}).",
                      f"{self.scellees} authentifiée{'s' if self.scellees > 1 else ''} par la clé du bureau, "
                      f"{self.anciennes} antérieure{'s' if self.anciennes > 1 else ''} à la clé (empreinte SHA-256) ; "
                      f"{_pluriel(self.sceaux_concordants, 'sceau')} concordant{'s' if self.sceaux_concordants > 1 else ''}."]
            if self.dernier_id is not None:
                lignes.append(f"Dernière entrée : n° {self.dernier_id}, empreinte {self.derniere_empreinte}.")
        else:
            tete = ("Le journal d'audit n'est pas intact" if self.alteree
                    else "Le journal d'audit n'a pas pu être entièrement vérifié")
            lignes = [f"{tete} ({entrees}, {_pluriel(self.nombre_anomalies, 'anomalie')}) :"]
            lignes += [f"• {a.texte}" for a in self.anomalies]
            if self.nombre_anomalies > len(self.anomalies):
                lignes.append(f"… et {self.nombre_anomalies - len(self.anomalies)} autre(s).")
        return "\n".join(lignes + list(self.remarques))


class _Releve:
    """The anomalies found so far, the first ones kept for the report."""

    def __init__(self) -> None:
        self.liste: list[Anomalie] = []
        self.nombre = 0

    def ajouter(self, a: Anomalie) -> None:
        self.nombre += 1
        if len(self.liste) < MAX_ANOMALIES:
            self.liste.append(a)


def verifier_chaine(ctx: Contexte, *, ancres: Iterable[Sceau] = ()) -> RapportChaine:
    """Walk the trail in id order, streamed (constant memory). Each row is checked on its own (its hash
    or seal over its stored predecessor and content) and against the row before (the link), so that
    every altered row is reported, not only the first. ``ancres``: seals found elsewhere (backups'
    manifests); the seal file beside the key is always read."""
    exiger(ctx, P.AUDIT_LIRE)
    signataire = scellement.signataire_lecture(ctx.db)
    sceaux, remarques = scellement.sceaux_du_fichier(ctx.db)
    sceaux += list(ancres)
    citees = {s.id for s in sceaux}
    vues: dict[int, str] = {}
    restaurations: list[Restauration] = []
    autres_cles: dict[str, list[int]] = {}   # key id → [rows, first, last]
    releve = _Releve()
    t = AuditEntry.__table__.c
    q = select(t.id, t.horodatage, t.agent_id, t.agent_login, t.action, t.entite, t.entite_id, t.libelle,
               t.avant, t.apres, t.motif, t.empreinte_precedente, t.empreinte).order_by(t.id)
    precedente = GENESE
    nombre = scellees = anciennes = 0
    premiere_scellee: int | None = None
    dernier_id: int | None = None
    with ctx.lecture() as s:
        for r in s.execute(q.execution_options(yield_per=TAILLE_LOT)):
            nombre += 1
            dernier_id = r.id
            empreinte, lien = r.empreinte, r.empreinte_precedente
            if empreinte is None or lien is None:
                # Not part of the chain: the next row should still follow the one before this.
                releve.ajouter(sans_empreinte(r.id, r.horodatage))
                continue
            if r.id in citees:
                vues[r.id] = empreinte
            if lien != precedente:
                releve.ajouter(lien_rompu(r.id, r.horodatage, premiere=nombre == 1))
            precedente = empreinte
            identifiant = identifiant_de(empreinte)
            contenu = contenu_canonique(r.horodatage, r.agent_id, r.agent_login, r.action, r.entite, r.entite_id,
                                        r.libelle, r.avant, r.apres, r.motif)
            if identifiant is None:
                if premiere_scellee is not None:   # a bare hash after the switch: computed without the key
                    releve.ajouter(non_scellee(r.id, r.horodatage, premiere_scellee))
                elif empreinte_sha256(lien, contenu) != empreinte:
                    releve.ajouter(contenu_altere(r.id, r.horodatage, scellee=False))
                else:
                    anciennes += 1
                continue
            if premiere_scellee is None:
                premiere_scellee = r.id
            if signataire is None or identifiant != signataire.identifiant:
                groupe = autres_cles.setdefault(identifiant, [0, r.id, r.id])
                groupe[0] += 1
                groupe[2] = r.id
            elif not signataire.verifie(empreinte, lien, contenu):
                releve.ajouter(contenu_altere(r.id, r.horodatage, scellee=True))
            else:
                scellees += 1
                if r.action == ACTION_RESTAURATION and r.entite == "base":
                    restaurations.append(Restauration(r.id, en_utc(r.horodatage)))
    anomalies_sceaux, concordants, ecartes = confronter_sceaux(sceaux, vues, dernier_id, restaurations)
    for a in anomalies_sceaux:
        releve.ajouter(a)
    cle_absente = str(scellement.chemin_cle(ctx.db)) if signataire is None else None
    for identifiant, (n, premiere, derniere) in autres_cles.items():
        releve.ajouter(non_authentifiees(identifiant, n, premiere, derniere, cle_absente))
    if ecartes:
        remarques.append(f"{_pluriel(ecartes, 'sceau')} antérieur{'s' if ecartes > 1 else ''} à une restauration "
                         "de la base ne s'applique" + ("nt" if ecartes > 1 else "") + " plus (lignes retirées par "
                         "la restauration).")
    if not sceaux and nombre:
        remarques.append(SANS_SCEAU)
    if (droits := scellement.remarque_droits_cle(ctx.db)) is not None:
        remarques.append(droits)
    return RapportChaine(
        intacte=releve.nombre == 0, nombre=nombre, derniere_empreinte=precedente, dernier_id=dernier_id,
        anomalies=tuple(releve.liste), nombre_anomalies=releve.nombre, scellees=scellees, anciennes=anciennes,
        sceaux_concordants=concordants, remarques=tuple(remarques))
