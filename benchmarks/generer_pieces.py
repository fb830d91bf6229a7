"""Add 5 pièces justificatives to every candidature of the benchmark database that has none yet
(1,000,000 rows on the 200,000 candidatures of generer_candidatures.py), with Core bulk inserts and
a realistic mix of statuses; about half of the online pieces have a deposited file, pointing at a
few small real PDF and PNG files written to the database's file store.

    python benchmarks/generer_comptes.py && python benchmarks/generer_candidatures.py   # once
    python benchmarks/generer_pieces.py
"""

from __future__ import annotations

import argparse
import io
import random
import struct
import sys
import time
import zlib
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Connection, exists, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generer_comptes import DEFAULT_URL  # noqa: E402
from cyclades_desktop.app import preparer_contexte  # noqa: E402
from cyclades_desktop.models import (
    Candidature,
    Echeance,
    FichierJustificatif,
    Justificatif,
    Periode,
    PieceCatalogue,
)
from cyclades_desktop.rules import pieces as rp  # noqa: E402
from cyclades_desktop.storage.fichiers import depot_de  # noqa: E402

# Every candidature has these two; three more are drawn from the rest.
TOUJOURS = ("CONFIRMATION", "IDENTITE")
AUTRES = ("JDC", "ACQUIS", "R408", "RESIDENCE", "BCP_FORMATION_OU_EXPERIENCE", "CERTIF_EUROPE")
# (status, weight): most pieces wait for a deposit or a review; a fifth are already reviewed.
STATUTS = ((rp.AUCUN, 30), (rp.EN_ATTENTE_CONTROLE, 35), (rp.RECUE, 8), (rp.CONFORME, 18),
           (rp.NON_CONFORME, 6), (rp.NOUVELLE_PJ, 3))
RELECTEURS = ("gestion", "lmartin", "pdurand")
MOTIFS = rp.MOTIFS_NON_CONFORMITE


def pdf_exemple(titre: str, pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for p in range(pages):
        c.setFont("Helvetica-Bold", 18)
        c.drawString(72, 770, titre)
        c.setFont("Helvetica", 11)
        for i in range(30):
            c.drawString(72, 730 - i * 20, f"Ligne {i + 1} de la page {p + 1} : pièce justificative.")
        c.showPage()
    c.save()
    return buf.getvalue()


def png_exemple(largeur: int, hauteur: int, teinte: int) -> bytes:
    """A grey « scan » with dark bands (text lines), built with zlib and struct."""
    lignes = []
    for y in range(hauteur):
        texte = (y // 12) % 3 == 0 and 60 < y < hauteur - 60
        octets = bytes((40 if texte and 50 < x < largeur - 50 and (x // 7) % 5 else teinte)
                       for x in range(largeur))
        lignes.append(b"\x00" + octets)

    def bloc(nom: bytes, donnees: bytes) -> bytes:
        return struct.pack(">I", len(donnees)) + nom + donnees + struct.pack(">I", zlib.crc32(nom + donnees))

    ihdr = struct.pack(">IIBBBBB", largeur, hauteur, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + bloc(b"IHDR", ihdr) + bloc(b"IDAT", zlib.compress(b"".join(lignes), 6))
            + bloc(b"IEND", b""))


def fichiers_exemples() -> list[tuple[str, str, bytes]]:
    return [("piece.pdf", "application/pdf", pdf_exemple("Carte nationale d'identité", 1)),
            ("releve.pdf", "application/pdf", pdf_exemple("Relevé de notes", 2)),
            ("attestation.pdf", "application/pdf", pdf_exemple("Attestation", 1)),
            ("scan.png", "image/png", png_exemple(1240, 1754, 235)),
            ("photo.png", "image/png", png_exemple(800, 600, 220)),
            ("justificatif.png", "image/png", png_exemple(1000, 1400, 245))]


def generer(url: str, seed: int = 11) -> None:
    rnd = random.Random(seed)
    ctx = preparer_contexte(url)
    depot = depot_de(ctx.db)
    exemples = [(nom, mime, contenu, depot.ecrire(contenu)) for nom, mime, contenu in fichiers_exemples()]
    with ctx.lecture() as s:
        catalogue = {p.code: p for p in s.scalars(select(PieceCatalogue))}
        periodes = {(p.session_id, p.domaine_code): p for p in s.scalars(select(Periode))}
        echeances = {(e.session_id, e.domaine_code, e.code): e.date_limite
                     for e in s.scalars(select(Echeance))}
        sans_pieces = list(s.execute(
            select(Candidature.id, Candidature.session_id, Candidature.domaine_code, Candidature.cree_le)
            .where(~exists().where(Justificatif.candidature_id == Candidature.id)).order_by(Candidature.id)))
    statuts, poids = zip(*STATUTS, strict=True)
    t0 = time.perf_counter()
    n_j = n_f = 0
    with ctx.db.engine.begin() as conn:
        dernier = conn.execute(select(Justificatif.id).order_by(Justificatif.id.desc()).limit(1)).scalar()
        prochain = (dernier or 0) + 1
        lot_j: list[dict[str, object]] = []
        lot_f: list[dict[str, object]] = []
        for cid, session_id, domaine, cree_le in sans_pieces:
            periode = periodes.get((session_id, domaine))
            confirmation = echeances.get((session_id, domaine, "CONFIRMATION")) or (
                (periode.cloture if periode else cree_le) + timedelta(days=7))
            for code in TOUJOURS + tuple(rnd.sample(AUTRES, 3)):
                piece = catalogue[code]
                mode = rp.mode_de(rp.PieceCatalogue(code, "", "", piece.mode_depot, ()))
                statut = rnd.choices(statuts, poids)[0]
                if mode == rp.COURRIER and statut == rp.AUCUN:
                    statut = rp.EN_ATTENTE_CONTROLE
                revu = statut not in (rp.AUCUN, rp.EN_ATTENTE_CONTROLE)
                depose = mode == rp.EN_LIGNE and statut != rp.AUCUN and rnd.random() < 0.7
                jour = cree_le + timedelta(hours=rnd.randrange(1, 24 * 20))
                jid = prochain
                prochain += 1
                lot_j.append({
                    "id": jid, "candidature_id": cid, "piece_code": code, "libelle": piece.libelle,
                    "mode_depot": mode, "ouverture": periode.ouverture if periode else None,
                    "echeance": echeances.get((session_id, domaine, code)) or confirmation,
                    "echeance_code": code if (session_id, domaine, code) in echeances else "CONFIRMATION",
                    "statut": statut,
                    "date_reception": (jour.date() if statut == rp.RECUE or (revu and mode == rp.COURRIER)
                                       else None),
                    "commentaire": rnd.choice(MOTIFS) if statut in rp.A_REDEPOSER else None,
                    "valide_le": jour if depose and statut != rp.NON_CONFORME else None,
                    "depose_le": jour if depose else None, "requis": True,
                    "revu_par": rnd.choice(RELECTEURS) if revu else None,
                    "revu_le": jour + timedelta(days=2) if revu else None, "row_version": 1})
                if depose:
                    nom, mime, contenu, sha = rnd.choice(exemples)
                    lot_f.append({"justificatif_id": jid, "sha256": sha, "nom_original": nom,
                                  "type_mime": mime, "taille": len(contenu), "depose_le": jour,
                                  "depose_par": "système", "actif": True, "retire_le": None})
            if len(lot_j) >= 25_000:
                n_j, n_f = n_j + len(lot_j), n_f + len(lot_f)
                _inserer(conn, lot_j, lot_f)
        n_j, n_f = n_j + len(lot_j), n_f + len(lot_f)
        _inserer(conn, lot_j, lot_f)
    print(f"{n_j} pièces ({n_f} fichiers déposés) pour {len(sans_pieces)} candidatures générées en "
          f"{time.perf_counter() - t0:.1f} s dans {url} ; dépôt : {depot.racine}")
    ctx.db.dispose()


def _inserer(conn: Connection, lot_j: list[dict[str, object]], lot_f: list[dict[str, object]]) -> None:
    if lot_j:
        conn.execute(insert(Justificatif), lot_j)
    if lot_f:
        conn.execute(insert(FichierJustificatif), lot_f)
    lot_j.clear()
    lot_f.clear()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", default=DEFAULT_URL)
    a = p.parse_args()
    generer(a.database_url)
