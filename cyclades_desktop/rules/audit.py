"""The audit trail's tamper evidence as pure functions: canonical content, the two hash formats, seal
lines and their comparison with the trail (docs/domaine/rgpd.md#journal-audit). The key file, the seal
file and the walk over the rows are in storage/cle_audit.py and services/noyau/.

One chain, two formats. Rows written before the office had a key hold a bare SHA-256 (64 hex digits)
that anyone can recompute; rows written since hold ``h1:<key id>:<HMAC-SHA256, base64url>`` (55
characters: it fits the existing 64-character column, so no schema change). The first row of the new
format records the switch; a bare row after it can only have been written outside the program."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from .temps import format_date, format_date_heure

GENESE = "0" * 64
FORMAT_HMAC = "h1"
LONGUEUR_CLE = 32            # bytes of the office's secret key
CLE_MANIFESTE = "sceau_audit"  # where a backup's manifest keeps the head it sealed
ACTION_RESTAURATION = "restauration"


def en_utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:  # SQLite read through Core without the UTC type
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def horodatage_canonique(dt: datetime) -> str:
    return en_utc(dt).isoformat(timespec="microseconds")  # 2024-11-10T10:00:00.000000+00:00


def contenu_canonique(horodatage: datetime, agent_id: int | None, agent_login: str, action: str, entite: str,
                      entite_id: str, libelle: str, avant: dict[str, Any] | None, apres: dict[str, Any] | None,
                      motif: str | None) -> str:
    """The row's content as one string, identical when recomputed from the values read back."""
    return json.dumps(
        [horodatage_canonique(horodatage), agent_id, agent_login, action, entite, entite_id, libelle or "",
         avant, apres, motif],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=True)


def empreinte_sha256(precedente: str, contenu: str) -> str:
    """The format before the key: public, so it only proves the rows against an honest mistake."""
    return hashlib.sha256((precedente + contenu).encode("utf-8")).hexdigest()


def identifiant_de(empreinte: str | None) -> str | None:
    """The key id of a keyed hash, None for a bare SHA-256 (or no hash at all)."""
    if empreinte and empreinte.startswith(FORMAT_HMAC + ":"):
        return empreinte[len(FORMAT_HMAC) + 1:].split(":", 1)[0]
    return None


class Signataire:
    """HMAC-SHA256 under the office's key. The key id (8 hex digits, derived from the key) is written
    in each row so that a row sealed by another key is told apart from a forged one."""

    __slots__ = ("_cle", "identifiant", "prefixe")

    def __init__(self, cle: bytes) -> None:
        if len(cle) != LONGUEUR_CLE:
            raise ValueError("clé de longueur inattendue")
        self._cle = cle
        self.identifiant = hmac.digest(cle, b"identifiant de la cle du journal", "sha256").hex()[:8]
        self.prefixe = f"{FORMAT_HMAC}:{self.identifiant}:"

    def empreinte(self, precedente: str, contenu: str) -> str:
        # The prefix is inside the MAC too: the format and key id cannot be swapped on a sealed row.
        mac = hmac.digest(self._cle, (self.prefixe + precedente + contenu).encode("utf-8"), "sha256")
        return self.prefixe + base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")

    def verifie(self, empreinte: str, precedente: str, contenu: str) -> bool:
        # Bytes: compare_digest refuses a str that is not ASCII, and the stored value is untrusted.
        return hmac.compare_digest(self.empreinte(precedente, contenu).encode(), empreinte.encode())


# --- seals: the head of the trail written where the database cannot rewrite it ------------------------

@dataclass(frozen=True)
class Sceau:
    """Row ``id`` had hash ``empreinte`` at ``horodatage`` (UTC), as ``source`` recorded it."""

    horodatage: datetime
    id: int
    empreinte: str
    source: str = ""            # « le sceau du 06/12/2026 », « la sauvegarde du 06/12/2026 02:00 »


def ligne_sceau(s: Sceau) -> str:
    """One line of the seal file: ``date;id;hash``."""
    return f"{horodatage_canonique(s.horodatage)};{s.id};{s.empreinte}"


def lire_ligne_sceau(ligne: str) -> Sceau | None:
    """A seal line, or None when it is not one (comment, blank, or damaged)."""
    parties = ligne.strip().split(";")
    if len(parties) != 3:
        return None
    try:
        h = datetime.fromisoformat(parties[0])
        n = int(parties[1])
    except ValueError:
        return None
    if h.tzinfo is None or n < 1 or not parties[2] or len(parties[2]) > 64:
        return None
    return Sceau(h.astimezone(UTC), n, parties[2], f"le sceau du {format_date(h)}")


def sceau_en_dict(s: Sceau) -> dict[str, Any]:
    return {"horodatage": horodatage_canonique(s.horodatage), "id": s.id, "empreinte": s.empreinte}


def sceau_depuis_dict(d: object, source: str) -> Sceau | None:
    """The seal a manifest recorded, or None (an older backup has none)."""
    if not isinstance(d, Mapping):
        return None
    s = lire_ligne_sceau(f"{d.get('horodatage')};{d.get('id')};{d.get('empreinte')}")
    return None if s is None else replace(s, source=source)


def source_sauvegarde(cree_le: datetime) -> str:
    return f"la sauvegarde du {format_date_heure(cree_le)}"


@dataclass(frozen=True)
class Anomalie:
    ligne: int | None
    texte: str                  # a whole French sentence
    grave: bool = True          # False: not checkable here (the key is missing), not found wrong


def _ligne(n: int, h: datetime | None) -> str:
    return f"la ligne n° {n}" + (f" du {format_date(h)}" if h else "")


def contenu_altere(n: int, h: datetime | None, scellee: bool) -> Anomalie:
    ce = "à son sceau" if scellee else "à son empreinte"
    return Anomalie(n, f"Journal altéré : {_ligne(n, h)} ne correspond pas {ce} (contenu modifié ou ligne forgée).")


def sans_empreinte(n: int, h: datetime | None) -> Anomalie:
    return Anomalie(n, f"Journal altéré : {_ligne(n, h)} n'a pas d'empreinte (ajoutée hors de l'application).")


def lien_rompu(n: int, h: datetime | None, premiere: bool) -> Anomalie:
    if premiere:
        return Anomalie(n, f"Chaîne rompue : les premières lignes du journal ont été supprimées ({_ligne(n, h)} "
                           "ne suit pas le début du journal).")
    return Anomalie(n, f"Chaîne rompue avant {_ligne(n, h)} : elle ne suit plus la ligne précédente (une ligne a "
                       "été supprimée, déplacée ou insérée avant elle).")


def non_scellee(n: int, h: datetime | None, depuis: int) -> Anomalie:
    return Anomalie(n, f"Journal altéré : {_ligne(n, h)} n'est pas scellée par la clé du bureau alors que le "
                       f"journal l'est depuis la ligne n° {depuis} (ligne ajoutée ou réécrite hors de "
                       "l'application).")


def non_authentifiees(identifiant: str, nombre: int, premiere: int, derniere: int, cle_absente: str | None) -> Anomalie:
    """Rows sealed by a key this workstation does not hold: only their links could be checked."""
    if nombre == 1:
        lignes, n_ont, est, elles, s_ = f"la ligne n° {premiere} scellée", "n'a", "est", "elle n'a", ""
    else:
        lignes = f"les {nombre} lignes scellées de la n° {premiere} à la n° {derniere}"
        n_ont, est, elles, s_ = "n'ont", "sont", "elles n'ont", "s"
    if cle_absente is not None:
        return Anomalie(premiere, f"La clé du journal d'audit est introuvable ({cle_absente}) : {lignes} {n_ont} "
                                  f"pas pu être authentifiée{s_}, seul le chaînage a été vérifié. Remettez en place "
                                  "le fichier de clé depuis sa copie de sécurité.", grave=False)
    # Grave: the office has one key, so a row claiming another one may as well be forged.
    return Anomalie(premiere, f"Clé différente : {lignes.removesuffix(' scellée')} {est} scellée{s_} par une autre "
                              f"clé (identifiant {identifiant}) que celle de ce poste ; {elles} pas pu être "
                              f"authentifiée{s_}. Vérifiez que tous les postes utilisent le même fichier de clé.")


@dataclass(frozen=True)
class Restauration:
    """An authenticated « restauration » row: the trail was legitimately rewound to before ``id``."""

    id: int
    horodatage: datetime


def _a(source: str) -> str:
    """« à » before a seal's source: « au sceau du… », « à la sauvegarde du… »."""
    return "au " + source[3:] if source.startswith("le ") else "à " + source


def confronter_sceaux(sceaux: Iterable[Sceau], vues: Mapping[int, str], dernier_id: int | None,
                      restaurations: Iterable[Restauration]) -> tuple[list[Anomalie], int, int]:
    """Compare each seal with the hash the trail holds for its row (``vues``: id → hash of the rows
    that seals cite). Returns (anomalies, seals that agree, seals set aside by a restore).

    A restore legitimately removes the rows written after its backup; its authenticated row gets the
    next id, so a seal made before the restore that names that id or a later one is set aside."""
    restaurations = list(restaurations)
    anomalies: list[Anomalie] = []
    concordants = ecartes = 0
    for s in sceaux:
        if any(r.id <= s.id and s.horodatage < r.horodatage for r in restaurations):
            ecartes += 1
            continue
        trouvee = vues.get(s.id)
        if trouvee is not None and hmac.compare_digest(trouvee.encode(), s.empreinte.encode()):
            concordants += 1
        elif trouvee is not None:
            anomalies.append(Anomalie(s.id, f"Journal altéré : la ligne n° {s.id} ne correspond pas "
                                            f"{_a(s.source) if s.source else 'à son sceau'}."))
        elif dernier_id is None or s.id > dernier_id:
            fin = f"la base s'arrête à {dernier_id}" if dernier_id else "la base n'a plus aucune ligne"
            anomalies.append(Anomalie(s.id, f"Journal tronqué : {s.source or 'un sceau'} cite la ligne n° {s.id}, "
                                            f"{fin}."))
        else:
            anomalies.append(Anomalie(s.id, f"Journal altéré : la ligne n° {s.id}, citée par "
                                            f"{s.source or 'un sceau'}, n'est plus dans la base."))
    return anomalies, concordants, ecartes
