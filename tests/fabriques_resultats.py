"""Candidatures for the results tests, written straight with the ORM (the registration services are tested on
their own): an activated account, a registered candidature and its épreuves positions as the épreuves
engine computes them for the catégorie, some positions overridden (a dispense, a bénéfice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cyclades_desktop.models import (
    Candidature,
    Categorie,
    CompteCandidat,
    EpreuveChoix,
    SessionExamen,
    Specialite,
)
from cyclades_desktop.rules import epreuves as moteur
from cyclades_desktop.rules.comptes import numero_candidat
from cyclades_desktop.rules.texte import cle_recherche
from cyclades_desktop.services.inscriptions.verification import arbre, profil
from cyclades_desktop.services.noyau.contexte import Contexte

# Units (specialites.json, see tests/unit/test_deliberation.py): BCP-25303 scolaire, P = professional:
# U11 E1-A 1,5 · U12 E1-B 1,5 · U2 E2 4P · U31..U34 E3-A..D 2P · U35 E3-E 1 · U36 E3-F 1 · U4 E4 2 · U51 E5-A 2,5
# · U52 E5-B 2,5 · U6 E6 1 · U7 E7 1 · CO1 EC1 2P (sum 28 = 14 P + 14 G); CAP-25524 apprenti: UP1 EP1 7P
# · UP2 EP2 4P · UP3 EP3 2P · UG1 EG1 3 · UG2 EG2 2 · UG3 EG3 1 · CO 1P (sum 20 = 14 P + 6 G).
AERO, ELEC = "BCP-25303", "CAP-25524"


def compte(ctx: Contexte, n: int, nom: str | None = None, prenoms: str = "Test") -> int:
    with ctx.transaction() as s:
        nom = nom or f"CANDIDAT{n:03d}"
        c = CompteCandidat(numero_candidat=numero_candidat(500_000_000 + n), email=f"c{n}@exemple.fr",
                           email_normalise=f"c{n}@exemple.fr", sexe="F", nom=nom.upper(), prenoms=prenoms,
                           date_naissance=date(2006, 1, 1 + n % 28), pays_naissance="FR",
                           commune_naissance="Marseille", mot_de_passe_hash="x", etat="actif",
                           cree_le=ctx.clock.now(), cle=cle_recherche(f"{nom} {prenoms}"))
        s.add(c)
        s.flush()
        return c.id


def candidature(ctx: Contexte, n: int, *, specialite: str = AERO, categorie: str = "SCOL", session: str = "2025",
                compte_id: int | None = None, forme: str = "globale", nom: str | None = None,
                positions: dict[str, str | tuple[str, float, int]] | None = None,
                choix: moteur.Choix | None = None) -> int:
    """A registered candidature; ``positions``: unit → position, or (Bénéfice, grade, year)."""
    compte_id = compte_id or compte(ctx, n, nom)
    with ctx.transaction() as s:
        sess = s.scalar(select(SessionExamen).where(SessionExamen.libelle == session))
        sp = s.get(Specialite, specialite)
        cat = s.get(Categorie, categorie)
        r = moteur.calculer(arbre(s, sp.id), profil(s, sp.domaine_code, cat, sess.annee, forme), (),
                            choix or moteur.Choix())
        deja = s.scalar(select(Candidature.numero_inscription).where(Candidature.compte_id == compte_id)
                        .order_by(Candidature.numero_inscription.desc()).limit(1))
        c = Candidature(compte_id=compte_id, numero_inscription=f"{int(deja or 0) + 1:03d}", session_id=sess.id,
                        domaine_code=sp.domaine_code, specialite_id=sp.id, etat="inscrit", cree_le=ctx.clock.now(),
                        inscrit_le=ctx.clock.now(), categorie_code=categorie, forme_finale=forme,
                        forme_passage=forme, choix=(choix or moteur.Choix()).vers_json())
        s.add(c)
        s.flush()
        for i, x in enumerate(r.lignes):
            p = (positions or {}).get(x.code, x.position)
            note, annee = (p[1], p[2]) if isinstance(p, tuple) else (None, None)
            s.add(EpreuveChoix(candidature_id=c.id, ordre=i, code=x.code, unite=x.unite, intitule=x.intitule,
                               niveau=x.niveau, nature=x.nature, groupe=x.groupe,
                               position=p[0] if isinstance(p, tuple) else p, mode=x.mode, note=note, annee_note=annee))
        return c.id


def notes_pro_gen(ctx: Contexte, specialite: str, pro: str, gen: str, **exceptions: str) -> dict[str, str]:
    """Unit code → grade text: every professional unit at ``pro``, every general one at ``gen``;
    keywords: unit number (U11, CO1…) → grade."""
    from cyclades_desktop.rules.deliberation import unites_depuis_json
    from cyclades_desktop.services.referentiel.specialites import epreuves_de, specialite_en_json

    with ctx.lecture() as s:
        sp = s.get(Specialite, specialite)
        arbre_json = specialite_en_json(sp, epreuves_de(s, specialite))["epreuves"]
    famille = "apprenti" if specialite == ELEC else "scolaire"
    out = {}
    for u in unites_depuis_json(arbre_json, famille=famille):
        if u.facultative:
            continue
        out[u.code] = exceptions.get(u.unite or u.code, pro if u.professionnelle else gen)
    return out


def D(x: str) -> Decimal:
    return Decimal(x)


def resultat_ancien(ctx: Contexte, candidature_id: int, decision: str, acquises: dict[str, str]) -> None:
    """A closed earlier result, written straight (its deliberation is tested elsewhere)."""
    from cyclades_desktop.models import Deliberation, Examinateur, Jury, ResultatCandidature

    with ctx.transaction() as s:
        c = s.get(Candidature, candidature_id)
        e = Examinateur(nom="ANCIEN", prenom="Jury", discipline="", cle="ANCIEN JURY")
        s.add(e)
        s.flush()
        j = Jury(session_id=c.session_id, domaine_code=c.domaine_code, libelle=f"Ancien {candidature_id}",
                 specialites=[c.specialite_id], president_id=e.id)
        s.add(j)
        s.flush()
        d = Deliberation(jury_id=j.id, tour=1, etat="close", ouverte_le=ctx.clock.now(), ouverte_par="chef")
        s.add(d)
        s.flush()
        s.add(ResultatCandidature(candidature_id=candidature_id, deliberation_id=d.id, version=1, statut="arrete",
                                  decision=decision, unites_acquises=acquises, calcule_le=ctx.clock.now()))
