"""Convocations published again on their content (docs/domaine/organisation.md#convocations): a
deleted créneau or a removed seat leaves no timestamp, yet the candidate must not keep a convocation
for an épreuve that moved or no longer exists. Each PDF carries the fingerprint of its content; the
analysis compares the current data's with the last version's, rendering nothing. Rendering stays byte-identical for identical data. Also: the preview, cancel and resume, filters, and
the CLI ``publier-convocations``."""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
from datetime import datetime

from sqlalchemy import delete, select, update

from cyclades_desktop import cli
from cyclades_desktop.documents import convocation
from cyclades_desktop.documents.convocation import rendre, rendre_plusieurs
from cyclades_desktop.documents.donnees_convocation import empreinte, lire_empreinte
from cyclades_desktop.models import Affectation, CentreExamen, Document, DocumentVersion
from cyclades_desktop.services.organisation import affectation as aff
from cyclades_desktop.services.organisation import (
    analyse_convocations,
    contenu_convocations,
    convocations,
    planning,
)
from cyclades_desktop.services.organisation import centres as org
from tests.fabriques import session_id
from tests.fabriques_organisation import affecter, centre, creneau
from tests.unit.test_convocations import contenu_derniere, inscrire, organiser, texte_pdf, versions


def test_un_creneau_supprime_donne_une_nouvelle_version_sans_cette_epreuve(chef, clock):
    cid = inscrire(chef)
    _maths, francais = organiser(chef, cid)
    clock.advance(minutes=1)
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == (cid,)
    assert "mardi 13/05/2025" in texte_pdf(contenu_derniere(chef, cid))

    clock.advance(hours=1)
    assert planning.supprimer_creneau(chef, francais) == 1     # the timetable entry and its seat are gone
    clock.advance(minutes=1)
    apercu = analyse_convocations.analyser(chef, session_id(chef))
    assert apercu.a_publier == (cid,) and apercu.attendues == {cid: 1} and apercu.inchangees == 0
    rapport = convocations.publier_convocations(chef, session_id(chef))
    assert rapport.publiees == (cid,) and versions(chef, cid) == [1, 2]
    texte = texte_pdf(contenu_derniere(chef, cid))
    assert "Version n°2 mis à jour le 10/11/2024 12:02" in texte
    assert "13/05/2025" not in texte and "Salle : C3" not in texte
    # Still a ponctual épreuve of the candidature, now without a date.
    assert "E5-A (U51) – Français : date communiquée ultérieurement" in texte
    assert "lundi 12/05/2025" in texte and "Salle : B12" in texte


def test_une_candidature_qui_perd_toutes_ses_places(chef, clock):
    """The centre is closed and the automatic assignment re-run: both seats are removed (the
    organisation service deletes them). The candidate gets a version saying where and when will be
    communicated later instead of keeping one sending them to a closed centre."""
    cid = inscrire(chef)
    organiser(chef, cid)
    clock.advance(minutes=1)
    convocations.publier_convocations(chef, session_id(chef))
    with chef.lecture() as s:
        c = s.scalars(select(CentreExamen)).one()
        centre_id, row_version = c.id, c.row_version
    clock.advance(hours=1)
    org.modifier_centre(chef, centre_id, [], False, row_version)
    r = aff.affecter_automatiquement(chef, session_id(chef))
    assert r.supprimees == 2
    with chef.lecture() as s:
        assert s.scalars(select(Affectation).where(Affectation.candidature_id == cid)).all() == []

    rapport = convocations.publier_convocations(chef, session_id(chef))
    assert rapport.publiees == (cid,) and versions(chef, cid) == [1, 2]
    texte = texte_pdf(contenu_derniere(chef, cid))
    assert "AUDINCOURT" not in texte and "Salle : B12" not in texte and "Salle : C3" not in texte
    assert "Centre communiqué ultérieurement" in texte
    assert "lundi 12/05/2025" in texte                          # the timetable itself has not changed
    # Published once: the next run leaves it alone.
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == ()


def test_une_place_supprimee_seule(chef, clock):
    """One of two seats deleted outright (no timestamp left anywhere): detected all the same."""
    cid = inscrire(chef)
    maths, _francais = organiser(chef, cid)
    clock.advance(minutes=1)
    convocations.publier_convocations(chef, session_id(chef))
    with chef.transaction() as s:
        s.execute(delete(Affectation).where(Affectation.candidature_id == cid, Affectation.creneau_id == maths))
    clock.advance(minutes=1)
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == (cid,)
    texte = texte_pdf(contenu_derniere(chef, cid))
    assert "Salle : B12" not in texte and "Salle : C3" in texte


def test_sans_changement_rendu_identique_et_aucune_version(chef, clock):
    cid = inscrire(chef)
    organiser(chef, cid)
    clock.advance(minutes=1)
    convocations.publier_convocations(chef, session_id(chef))
    clock.advance(days=3)
    rapport = convocations.publier_convocations(chef, session_id(chef))
    assert rapport.publiees == () and rapport.inchangees == 1 and versions(chef, cid) == [1]
    # The last version rendered again is byte-identical, in this process and in a fresh one.
    with chef.lecture() as s:
        (d,) = contenu_convocations.donnees_convocations(s, [cid])
        stocke = s.scalar(select(DocumentVersion.sha256).order_by(DocumentVersion.id.desc()).limit(1))
    assert d.version == 1
    assert hashlib.sha256(rendre(d)).hexdigest() == stocke
    autre = subprocess.run(
        [sys.executable, "-c", "import hashlib, pickle, sys\n"
         "from cyclades_desktop.documents.convocation import rendre\n"
         "print(hashlib.sha256(rendre(pickle.loads(sys.stdin.buffer.read()))).hexdigest())"],
        input=pickle.dumps(d), capture_output=True, check=True)
    assert autre.stdout.decode().strip() == stocke


def test_apercu_interruption_et_reprise(chef, clock):
    ids = [inscrire(chef, f"p{i}@mail.fr") for i in range(3)]
    sans = inscrire(chef, "sans@mail.fr")
    salles = centre(chef)
    maths = creneau(chef, session_id(chef), "E1-A", "Mathématiques", datetime(2025, 5, 12, 8, 0), 120)
    for cid in ids:
        affecter(chef, cid, maths, salles["B12"])
    apercu = analyse_convocations.analyser(chef, session_id(chef))
    assert apercu.a_publier == tuple(ids) and apercu.sans_epreuve == 1 and apercu.conflits == ()
    assert apercu.message == ("3 candidatures recevront une nouvelle version de leur convocation (dont 3 "
                              "première(s) publication(s)) ; 1 candidature(s) sans épreuve affectée.")

    # Cancelled after the first chunk: the first candidature has its version, the others none.
    pas: list[tuple[int, int]] = []
    rapport = convocations.publier_convocations(
        chef, session_id(chef), apercu=apercu, taille_lot=1, progression=lambda n, t: pas.append((n, t)),
        annule=lambda: len(pas) >= 2)
    assert rapport.interrompue and rapport.publiees == (ids[0],)
    assert "Publication interrompue" in rapport.message
    assert [versions(chef, cid) for cid in ids] == [[1], [], []]
    # The re-run resumes.
    rapport = convocations.publier_convocations(chef, session_id(chef))
    assert rapport.publiees == tuple(ids[1:]) and rapport.inchangees == 1 and not rapport.interrompue
    assert versions(chef, sans) == []

    # A preview made before another workstation published: nothing is published twice.
    clock.advance(hours=1)
    with chef.transaction() as s:
        s.execute(delete(Affectation).where(Affectation.candidature_id == ids[0]))
    apercu = analyse_convocations.analyser(chef, session_id(chef))
    assert apercu.a_publier == (ids[0],)
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == (ids[0],)
    assert convocations.publier_convocations(chef, session_id(chef), apercu=apercu).publiees == ()
    assert versions(chef, ids[0]) == [1, 2]


def test_filtre_par_examen(chef, clock):
    cid = inscrire(chef)
    organiser(chef, cid)
    assert analyse_convocations.analyser(chef, session_id(chef), domaine="CAP").a_publier == ()
    assert analyse_convocations.analyser(chef, session_id(chef), domaine="BCP").a_publier == (cid,)
    assert analyse_convocations.analyser(chef, session_id(chef), specialite_id="BCP-25303").a_publier == (cid,)


def test_cli_publie_puis_ne_publie_plus_rien(chef, clock, db_url, capsys):
    cid = inscrire(chef)
    organiser(chef, cid)
    assert cli.main(["--database-url", db_url, "publier-convocations", "--session", "2025",
                     "--examen", "CAP"], clock=clock) == 0
    assert "Aucune convocation publiée" in capsys.readouterr().out and versions(chef, cid) == []
    assert cli.main(["--database-url", db_url, "publier-convocations", "--session", "2025"], clock=clock) == 0
    assert "1 convocation publiée." in capsys.readouterr().out
    assert versions(chef, cid) == [1]
    clock.advance(hours=2)
    assert cli.main(["--database-url", db_url, "publier-convocations", "--session", "2025"], clock=clock) == 0
    assert capsys.readouterr().out.strip() == \
        "Aucune convocation publiée (1 inchangée(s) depuis leur dernière version)."
    assert versions(chef, cid) == [1]
    # Unknown session or examen: a French message, exit code 2, no traceback.
    assert cli.main(["--database-url", db_url, "publier-convocations", "--session", "1999"], clock=clock) == 2
    assert "La session « 1999 » n'existe pas" in capsys.readouterr().err


def test_l_analyse_compare_les_empreintes_sans_rien_rendre(chef, clock):
    """The analysis reads the fingerprint stored in each published PDF and compares it with the current
    data's: unchanged convocations are not rendered again (it used to render every one of them)."""
    ids = [inscrire(chef, f"e{i}@mail.fr") for i in range(4)]
    salles = centre(chef, ("B12", "C3"))
    maths = creneau(chef, session_id(chef), "E1-A", "Mathématiques", datetime(2025, 5, 12, 8, 0), 120)
    for cid in ids:
        affecter(chef, cid, maths, salles["B12"])
    clock.advance(minutes=1)
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == tuple(ids)
    with chef.lecture() as s:
        stockes = list(s.scalars(select(DocumentVersion.contenu).join(Document)
                                 .where(Document.type == "convocation").order_by(Document.candidature_id)))
        donnees = contenu_convocations.donnees_convocations(s, ids)
    assert [lire_empreinte(c) for c in stockes] == [empreinte(d) for d in donnees]

    clock.advance(days=2)
    avant = convocation.rendus()
    apercu = analyse_convocations.analyser(chef, session_id(chef))
    assert apercu.a_publier == () and apercu.inchangees == 4
    assert convocation.rendus() == avant                          # nothing rendered
    # One seat moved to another room: that one only, still without rendering anything.
    with chef.transaction() as s:
        s.execute(update(Affectation).where(Affectation.candidature_id == ids[2]).values(salle_id=salles["C3"]))
    apercu = analyse_convocations.analyser(chef, session_id(chef))
    assert apercu.a_publier == (ids[2],) and apercu.attendues == {ids[2]: 1} and apercu.inchangees == 3
    assert convocation.rendus() == avant
    assert convocations.publier_convocations(chef, session_id(chef), apercu=apercu).publiees == (ids[2],)
    assert convocation.rendus() == avant + 1
    assert "Salle : C3" in texte_pdf(contenu_derniere(chef, ids[2]))


def test_une_convocation_publiee_sans_empreinte_est_republiee_une_fois(chef, clock):
    """Published before fingerprints existed (no /Keywords): counted as changed once, republished with
    its fingerprint, then left alone."""
    cid = inscrire(chef)
    organiser(chef, cid)
    clock.advance(minutes=1)
    convocations.publier_convocations(chef, session_id(chef))
    with chef.transaction() as s:
        (d,) = contenu_convocations.donnees_convocations(s, [cid])
        ancien = rendre_plusieurs([d])            # same pages, no fingerprint in its metadata
        assert lire_empreinte(ancien) is None
        v = s.scalars(select(DocumentVersion).join(Document).where(Document.type == "convocation")).one()
        v.contenu, v.sha256, v.taille = ancien, hashlib.sha256(ancien).hexdigest(), len(ancien)
    clock.advance(days=1)
    assert analyse_convocations.analyser(chef, session_id(chef)).a_publier == (cid,)
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == (cid,)
    assert versions(chef, cid) == [1, 2]
    assert convocations.publier_convocations(chef, session_id(chef)).publiees == ()


def test_publication_rendue_par_des_processus(chef, clock):
    """Rendered by two spawned workers, the next chunk while the previous one is written: the same
    versions, byte for byte, as rendered here."""
    ids = [inscrire(chef, f"w{i}@mail.fr") for i in range(5)]
    salles = centre(chef)
    maths = creneau(chef, session_id(chef), "E1-A", "Mathématiques", datetime(2025, 5, 12, 8, 0), 120)
    for cid in ids:
        affecter(chef, cid, maths, salles["B12"])
    clock.advance(minutes=1)
    avant = convocation.rendus()
    rapport = convocations.publier_convocations(chef, session_id(chef), taille_lot=2, processus=2)
    assert rapport.publiees == tuple(ids) and convocation.rendus() == avant     # not rendered here
    with chef.lecture() as s:
        for d in contenu_convocations.donnees_convocations(s, ids):
            stocke = s.scalar(select(DocumentVersion.sha256).join(Document).where(
                Document.candidature_id == d.candidature_id, Document.type == "convocation"))
            assert hashlib.sha256(rendre(d)).hexdigest() == stocke
    assert [versions(chef, cid) for cid in ids] == [[1]] * 5
    assert analyse_convocations.analyser(chef, session_id(chef)).inchangees == 5
