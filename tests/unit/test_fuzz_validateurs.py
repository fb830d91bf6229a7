"""Every public validator and normaliser of rules/, fuzzed (Hypothesis; profiles in tests/conftest.py).

Two properties each: on any text (``st.text()``: every code point but surrogates, controls, bidi and
zero-width characters included) and on near-valid input (a valid value with one hostile character
inserted or substituted), nothing raises but the domain's errors; and what is accepted is what a person
would accept: ASCII digits in a postcode, a letter in a name, no invisible character anywhere.
``event("acceptée")`` counts the accepted inputs (pytest --hypothesis-show-statistics): a property
that never sees an accepted value would prove little."""

from __future__ import annotations

import math
import re
from dataclasses import fields, replace
from datetime import date, datetime, timedelta

from hypothesis import assume, event, given
from hypothesis import strategies as st

from cyclades_desktop.rules import comptes as rc
from cyclades_desktop.rules import courriels as rm
from cyclades_desktop.rules import inscriptions as ri
from cyclades_desktop.rules import organisation as ro
from cyclades_desktop.rules import personnel as rp
from cyclades_desktop.rules import pieces as rpi
from cyclades_desktop.rules import referentiel as rr
from cyclades_desktop.rules import rgpd, sauvegardes, temps
from cyclades_desktop.rules import texte as tx
from cyclades_desktop.rules.errors import DomainError, ValidationError

# The characters an attacker or a careless paste brings: controls, bidi, zero-width, other digits,
# LIKE wildcards, lookalikes, combining marks.
HOSTILES = ("\x00", "\x1b", "\x7f", "\x85", "\x9b", "\t", "\n", "\r", "\x0b", "\x1c", "\u200b", "\u200d",
            "\u200e", "\u202e", "\u2066", "\u2069", "\ufeff", "\u2028", "\u2029", "\u00ad", "\u00a0",
            "\u3000", "１", "٣", "۵", "²", "½", "𝟙", "%", "_", "\\", " ", ".", "-", "'", "@", "+", "/", ":", "é",
            "ß", "İ", "\u0301", "Ａ", "ｆｒ", "..", "--")
TEXTE = st.text()
CHIFFRES = set("0123456789")


def pres_de(*valides: str) -> st.SearchStrategy[str]:
    """A valid value with one hostile or random character inserted, substituted, or none."""
    caractere = st.one_of(st.sampled_from(HOSTILES), st.characters())

    def muter(v: str, i: int, c: str, mode: int) -> str:
        i %= len(v) + 1
        return (v[:i] + c + v[i:], v[:i] + c + v[i + 1:], v)[mode]
    return st.builds(muter, st.sampled_from(valides), st.integers(0, 40), caractere, st.integers(0, 2))


def propre(t: str, *, multiligne: bool = False) -> bool:
    return not any(tx.caractere_interdit(c, multiligne=multiligne) for c in t)


def chiffres_ascii(t: str) -> bool:
    return all(c in CHIFFRES for c in t if c.isdigit() or c.isnumeric())


# --- texte ---------------------------------------------------------------------------------------

@given(TEXTE)
def test_texte_normalisations(t):
    for f in (tx.sans_accents, tx.cle_recherche, tx.espaces_normalises, tx.nom_majuscules, tx.prenoms_normalises):
        assert isinstance(f(t), str)
    n = tx.espaces_normalises(t)
    assert n == n.strip() and "  " not in n and tx.espaces_normalises(n) == n
    assert tx.prefixe_suivant(t) > t


@given(st.one_of(TEXTE, pres_de("lycée Chanzy", "100%", "a_b\\c", "0250001R")))
def test_texte_recherche_et_mots(t):
    r = tx.texte_recherche(t)
    assert propre(r) and len(r) <= tx.LONGUEUR_RECHERCHE_MAX and tx.texte_recherche(r) == r
    mots = tx.mots_recherche(t)
    assert len(mots) <= tx.MOTS_RECHERCHE_MAX and all(m and propre(m) and not m.isspace() for m in mots)
    assert propre(tx.sans_caracteres_interdits(t), multiligne=False)


@given(TEXTE)
def test_echapper_like(t):
    e = tx.echapper_like(t)
    # Reading the escapes back gives the text; no wildcard is left bare.
    assert re.sub(r"\\(.)", r"\1", e, flags=re.S) == t
    assert not re.search(r"[%_\\]", re.sub(r"\\[\\%_]", "", e))


@given(TEXTE, st.booleans())
def test_verifier_caracteres(t, multiligne):
    m = tx.verifier_caracteres(t, multiligne=multiligne)
    assert (m is None) == propre(t, multiligne=multiligne)
    assert m is None or m.startswith("Ce champ contient un caractère invisible")
    assert tx.erreurs_caracteres({"a": t, "b": [t], "c": {"k": t}}, multilignes=("a", "b", "c") if multiligne
                                 else ()).keys() == (set() if m is None else {"a", "b", "c"})


@given(st.one_of(TEXTE, pres_de("587", "-3", "48", "0")))
def test_chiffres_et_entier_ascii(t):
    if tx.chiffres_ascii(t):
        assert set(t) <= CHIFFRES and t
    n = tx.entier_ascii(t)
    if n is not None:
        event("acceptée")
        assert re.fullmatch(r"-?[0-9]{1,18}", t.strip(" \t\r\n")) and n == int(t)


# --- comptes -------------------------------------------------------------------------------------

@given(st.one_of(TEXTE, pres_de("Secret.2024", "Aa!45678", "Ngmb-Dupont#1")))
def test_verifier_mot_de_passe(t):
    if rc.verifier_mot_de_passe(t) is None:
        event("acceptée")
        assert 8 <= len(t) <= 20 and propre(t) and not any(c.isspace() for c in t)
        assert any(c.islower() for c in t) and any(c.isupper() for c in t)
        assert any(not c.isalnum() and c.isprintable() for c in t)


@given(st.one_of(TEXTE, pres_de("nom.prenom@ac-exemple.fr", "a@b.fr", "1948418953@mail.fr", "x_y+z@s.d.org")))
def test_verifier_email(t):
    assert isinstance(rc.normaliser_email(t), str)
    if rc.verifier_email(t) is None:
        event("acceptée")
        e = rc.normaliser_email(t)
        assert e.isascii() and propre(e) and " " not in e and e.count("@") == 1
        local, _, domaine = e.partition("@")
        assert local and not local.startswith(".") and not local.endswith(".") and ".." not in e
        labels = domaine.split(".")
        assert len(labels) >= 2 and labels[-1].isalpha()
        assert all(x and not x.startswith("-") and not x.endswith("-") for x in labels)


@given(st.one_of(TEXTE, pres_de("30/05/1998", "1/1/2000", "29/02/2024"), st.dates().map(
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}")))
def test_parser_date_et_date_de_naissance(t):
    d = rc.parser_date(t)
    if d is not None:   # « 30/05/1998 » or « 30051998 », in ASCII digits, blanks around
        event("acceptée")
        assert re.fullmatch(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{8}", t.strip())
    m = rc.verifier_date_naissance(t, date(2024, 11, 10))
    assert m is None or isinstance(m, str)
    if m is None:
        assert d is not None and date(1900, 1, 1) <= d <= date(2024, 11, 10)


@given(st.dates(date(1, 1, 1), date(9999, 12, 31)))
def test_date_format_puis_lecture(d):
    assert rc.parser_date(temps.format_date(d)) == (d if d.year >= 1000 else None)
    assert rpi.lire_date(temps.format_date(d)) == (d if d.year >= 1000 else None)


@given(st.one_of(TEXTE, pres_de("Ngmb-Dupont", "D'Artagnan", "Lefèvre", "Jean Marie")), st.booleans())
def test_verifier_nom(t, obligatoire):
    if rc.verifier_nom(t, obligatoire=obligatoire) is None and tx.espaces_normalises(t):
        event("acceptée")
        assert any(c.isalpha() for c in t) and propre(t) and len(tx.espaces_normalises(t)) <= 80


@given(st.one_of(TEXTE, pres_de("01000000016", "00000000018")), st.integers(1, 10**10 - 1))
def test_numero_candidat(t, sequence):
    if rc.numero_candidat_valide(t):
        event("acceptée")
        assert len(t.strip()) == 11 and set(t.strip()) <= CHIFFRES
    numero = rc.numero_candidat(sequence)
    assert rc.numero_candidat_valide(numero)
    # The check digit catches any single mistyped digit.
    i = sequence % 10
    autre = numero[:i] + str((int(numero[i]) + 1 + sequence % 9) % 10) + numero[i + 1:]
    assert not rc.numero_candidat_valide(autre)


@given(TEXTE, TEXTE, st.booleans())
def test_verifier_double_saisie(a, b, casse):
    m = rc.verifier_double_saisie(a, b, "nom", casse=casse)
    assert m is None or isinstance(m, str)


SAISIE_COMPTE = rc.SaisieCompte(
    sexe="F", nom="Ngmb-Dupont", nom_confirmation="Ngmb-Dupont", prenoms="Jeanne", date_naissance="06/05/2005",
    date_naissance_confirmation="06/05/2005", pays_naissance="FR", departement_naissance="11",
    commune_naissance="1234", email="a@b.fr", email_confirmation="a@b.fr", mot_de_passe="Secret.2024",
    mot_de_passe_confirmation="Secret.2024")
CHAMPS_COMPTE = [f.name for f in fields(rc.SaisieCompte)]


@given(st.sampled_from(CHAMPS_COMPTE), st.one_of(TEXTE, pres_de("Ngmb-Dupont", "a@b.fr", "06/05/2005", "FR")))
def test_valider_saisie_compte(champ, valeur):
    s = replace(SAISIE_COMPTE, **{champ: valeur})
    e = rc.valider_saisie_compte(s, date(2024, 11, 10))
    assert all(isinstance(m, str) and m for m in e.values())
    if not e:
        event("acceptée")
        assert all(propre(getattr(s, c)) for c in CHAMPS_COMPTE)
        assert any(c.isalpha() for c in s.nom) and rc.verifier_email(s.email) is None


# --- inscriptions --------------------------------------------------------------------------------

@given(st.one_of(TEXTE, pres_de("06 23 45 67 89", "+33623456789", "01.23.45.67.89")))
def test_telephones(t):
    assert isinstance(ri.telephone_affiche(t), str) and isinstance(ri.departement_du_code_postal(t), str)
    if ri.verifier_telephone(t) is None and (n := ri.telephone_normalise(t)):
        event("acceptée")
        assert re.fullmatch(r"\+?[0-9]+", n)
    n = rr.normaliser_telephone(t)
    assert n is None or re.fullmatch(r"0[1-9]( [0-9]{2}){4}", n)


SAISIE_CANDIDATURE = ri.SaisieCandidature(
    adresse_voie="12 rue de la République", code_postal="13001", localite="Marseille", nationalite="FR",
    telephone_mobile="0623456789", categorie_code="INDIV", situation_code="SALARIE", amenagement_duree=False,
    etablissement_uai="INDIV013", handicap=False, consentement_presse=False, consentement_collectivites=False,
    ine="088553495DY", specialite_id="BCP-25303")
CHAMPS_CANDIDATURE = [f.name for f in fields(ri.SaisieCandidature) if f.type == "str"]


@given(st.sampled_from(CHAMPS_CANDIDATURE), st.one_of(TEXTE, pres_de("13001", "088553495DY", "0623456789",
                                                                       "12 rue de la Paix", "FR")))
def test_onglets_de_la_candidature(champ, valeur):
    s = replace(SAISIE_CANDIDATURE, **{champ: valeur})
    e = {**ri.verifier_identification(s), **ri.verifier_informations(s), **ri.verifier_qualification(s)}
    assert all(isinstance(m, str) and m for m in e.values())
    assert all(0 <= ri.onglet_du_champ(k) < len(ri.ONGLETS) for k in {**e, **ri.caracteres_interdits(s)})
    if not e:
        event("acceptée")
        assert re.fullmatch(r"[0-9]{5}", s.code_postal.strip()) or s.adresse_pays != "FR"
        assert re.fullmatch(r"[0-9A-Z]{11}", s.ine.strip().upper()) or not s.ine.strip()
        assert not ri.caracteres_interdits(s) and all(propre(getattr(s, c)) for c in CHAMPS_CANDIDATURE)


# --- référentiel ---------------------------------------------------------------------------------

SAISIE_BUREAU = rr.SaisieBureau(academie="Aix-Marseille", nom_service="DEC", adresse="Place Lucien Paye\nBP 1",
                                code_postal="13621", ville="Aix-en-Provence", telephone="04 42 91 72 87",
                                email="dec@ac-aix-marseille.fr", site="www.ac-aix-marseille.fr",
                                departements="04, 05, 13, 84")


@given(st.sampled_from([f.name for f in fields(rr.SaisieBureau)]),
       st.one_of(TEXTE, pres_de("13621", "04 42 91 72 87", "04, 05, 13", "Place Lucien Paye\nBP 1")))
def test_valider_bureau(champ, valeur):
    s = replace(SAISIE_BUREAU, **{champ: valeur})
    assert isinstance(rr.departements_saisis(valeur), list) and isinstance(rr.lignes_adresse(valeur), list)
    if not rr.valider_bureau(s):
        event("acceptée")
        assert re.fullmatch(r"[0-9]{5}", s.code_postal.replace(" ", ""))
        assert all(re.fullmatch(r"[0-9]{2}|2A|2B|9[78][0-9]", d) for d in rr.departements_saisis(s.departements))
        assert all(propre(getattr(s, c), multiligne=c == "adresse") for c in ("academie", "ville", "adresse",
                                                                              "email", "site", "telephone"))


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXTE,
                    lambda enfants: st.lists(enfants, max_size=4) | st.dictionaries(TEXTE, enfants, max_size=4),
                    max_leaves=12)
NOEUD = st.fixed_dictionaries({}, optional={
    "code": st.one_of(TEXTE, pres_de("E3-A", "U11")), "intitule": st.one_of(TEXTE, pres_de("Mathématiques")),
    "coefficient": st.one_of(st.floats(), st.floats(0, 100), st.integers(), st.just(10**400), TEXTE,
                             st.booleans()),   # JSON reads 400 digits as an int
    "nature": st.sampled_from(["obligatoire", "x", ""]),
    "groupe": st.one_of(st.integers(-2, 4), st.floats(), st.just(10**400)), "unite": TEXTE, "duree": TEXTE, "note": JSON,
    "children": JSON, "domaine_epreuve": TEXTE, "modes": JSON})


@given(NOEUD)
def test_valider_noeud(n):
    e = rr.valider_noeud(n)
    if not e:
        event("acceptée")
        c = n.get("coefficient")
        assert c is None or (math.isfinite(c) and 0 <= c <= 100)
        assert n.get("code") is None or n["code"].isascii()
        assert all(propre(v, multiligne=k == "note") for k, v in n.items() if isinstance(v, str))


@given(st.one_of(JSON, st.fixed_dictionaries({"id": pres_de("BCP-25303"), "domaine": st.sampled_from(["BCP", "X"]),
                                              "intitule": TEXTE}, optional={
    "code": pres_de("25303"), "epreuves": st.lists(NOEUD, max_size=3), "notes": JSON, "actif": JSON})))
def test_valider_specialite(data):
    problemes, avertissements = rr.valider_specialite(data, {"BCP", "CAP"}, None, {})
    assert all(isinstance(a, str) for a in avertissements)
    assert all(isinstance(m, str) for m in rr.erreurs_par_champ(problemes, "BCP-25303").values())
    if not problemes:
        event("acceptée")
        assert isinstance(data, dict) and data["id"].isascii() and propre(data["intitule"])


# --- personnel, courriels ------------------------------------------------------------------------

SAISIE_AGENT = rp.SaisieAgent(login="carole.dano", nom="Dano", prenom="Carole", email="c@ac-x.fr",
                              telephone="04 42 91 72 87", mot_de_passe="Bureau-DEC-2024",
                              mot_de_passe_confirmation="Bureau-DEC-2024")


@given(st.sampled_from(["login", "nom", "prenom", "email", "telephone", "mot_de_passe", "role"]),
       st.one_of(TEXTE, pres_de("carole.dano", "Dano", "Bureau-DEC-2024", "04 42 91 72 87")), st.booleans())
def test_valider_agent(champ, valeur, avec_mdp):
    s = replace(SAISIE_AGENT, **{champ: valeur})
    assert isinstance(rp.libelle_role(valeur), str)
    if not rp.valider_agent(s, avec_mot_de_passe=avec_mdp):
        event("acceptée")
        assert re.fullmatch(r"[a-z0-9][a-z0-9._\-]+", s.login.strip().lower())
        assert any(c.isalpha() for c in s.nom) and any(c.isalpha() for c in s.prenom)
        assert all(propre(getattr(s, c)) for c in ("login", "nom", "prenom", "email", "telephone", "mot_de_passe"))
    if rp.verifier_mot_de_passe_agent(valeur) is None:
        assert propre(valeur) and 10 <= len(valeur) <= 64


@given(st.sampled_from([f.name for f in fields(rm.SaisieSmtp) if f.type == "str"]),
       st.one_of(TEXTE, pres_de("587", "smtp.ac-exemple.fr", "dec@ac-exemple.fr")), st.integers(-3, 20))
def test_valider_smtp(champ, valeur, tentatives):
    assert rm.delai_apres(tentatives) > timedelta(0)
    s = replace(rm.SaisieSmtp(hote="smtp.ac-exemple.fr", adresse_expediteur="dec@ac-exemple.fr"), **{champ: valeur})
    try:
        p = rm.valider_smtp(s)
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) for m in exc.errors.values())
        return
    event("acceptée")
    assert 1 <= p.port <= 65535 and re.fullmatch(r"[0-9]+", s.port.strip())
    assert all(propre(v) for v in p.en_dict().values() if isinstance(v, str))


# --- organisation, rgpd, sauvegardes, pièces -----------------------------------------------------

@given(st.sampled_from(list(ro.LIBELLES_DECISIONS)), st.lists(st.one_of(TEXTE, st.sampled_from(ro.MESURES_USUELLES)),
                                                              max_size=3),
       TEXTE, st.one_of(TEXTE, st.integers(), pres_de("33", "0")), TEXTE)
def test_valider_decision(statut, mesures, autres, majoration, motif):
    try:
        _statut, retenues, pourcentage, texte = ro.valider_decision(ro.SaisieDecision(statut, mesures, autres,
                                                                                      majoration, motif))
    except ValidationError as exc:
        assert exc.errors
        return
    event("acceptée")
    assert 0 <= pourcentage <= 100 and propre(texte, multiligne=True)
    assert all(propre(m, multiligne=True) and "\n" not in m for m in retenues)
    assert isinstance(majoration, int) or re.fullmatch(r"-?[0-9]*", str(majoration).strip())


# Real dates and times as typed, over the whole calendar: year 1 once moved to UTC leaves the range.
DATES = st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}")
HEURES = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 25), st.integers(0, 61))


@given(st.one_of(TEXTE, pres_de("90", "1h30", "2:00")), st.one_of(TEXTE, DATES, pres_de("16/06/2025")),
       st.one_of(TEXTE, HEURES, pres_de("08:30", "8h")), st.one_of(TEXTE, pres_de("13001", "97300")))
def test_planning_et_departement(duree, jour, heure, cp):
    m = ro.duree_minutes(duree)
    if m is not None:
        event("acceptée")
        assert duree.isascii() and m >= 0 and isinstance(ro.format_duree(m), str)
        assert ro.majoration_minutes(m, 33) >= 0
    e: dict[str, str] = {}
    debut = ro.lire_debut(jour, heure, e)
    assert (debut is None) == bool(e)
    if debut is not None:
        event("acceptée")
        assert jour.isascii() and heure.isascii() and debut.tzinfo is not None
    d = ro.departement_candidat(cp, None, "FR")
    assert d is None or (d.isascii() and chiffres_ascii(cp))


@given(st.one_of(TEXTE, st.integers(), pres_de("48", "5")), st.one_of(TEXTE, pres_de("5")))
def test_conservation(heures, annees):
    e: dict[str, str] = {}
    n = rgpd.entier_borne(heures, "h", "Heures", 48, 744, e)
    if not e:
        event("acceptée")
        assert 48 <= n <= 744 and re.fullmatch(r"-?[0-9]+", str(heures).strip())
    try:
        c = rgpd.valider_conservation(heures, annees)
    except ValidationError:
        return
    event("acceptée")
    assert 48 <= c.heures_comptes_non_actives <= 744 and 1 <= c.annees_apres_session <= 50


@given(st.one_of(TEXTE, pres_de("12:30", "23:59")), TEXTE, st.integers(-5, 600), st.integers(-5, 600))
def test_parametres_de_sauvegarde(heure, dossier, quotidiennes, hebdomadaires):
    assert all(isinstance(x, int) for x in sauvegardes.version_programme(dossier))
    p = sauvegardes.ParametresSauvegarde(dossier, heure, quotidiennes, hebdomadaires)
    try:
        sauvegardes.verifier_parametres(p)
    except DomainError:
        return
    event("acceptée")
    assert re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", heure) and propre(dossier)


@given(st.sampled_from([*rpi.STATUTS, "inconnu"]), st.one_of(st.none(), TEXTE), st.one_of(TEXTE, pres_de(
    "09/12/2024")), st.dates(date(2000, 1, 1), date(2030, 1, 1)))
def test_pieces_statut_et_dates(statut, commentaire, texte, jour):
    lue = rpi.lire_date(texte)
    assert lue is None or re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{8}", texte.strip())
    e = rpi.verifier_statut(statut, commentaire=commentaire, date_reception=lue, aujourd_hui=jour, date_cachet=lue)
    if not e:
        event("acceptée")
        assert propre(commentaire or "")


@given(st.datetimes(datetime(1970, 1, 2), datetime(2100, 1, 1)))
def test_temps(instant):
    p = temps.paris(instant)
    assert p.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    assert rc.parser_date(temps.format_date(p)) == p.date()
    assume(temps.depuis_paris(p.replace(tzinfo=None)) == p)   # a wall-clock hour exists twice in October
    assert temps.format_date_heure(p).endswith(p.strftime("%H:%M"))
