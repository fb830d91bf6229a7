"""Registering a candidate (docs/domaine/inscriptions.md): choosing the examen inside its period, the
nine tabs checked, one transaction at Enregistrer, later modifications and the désinscription."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ...models import (
    AcquisCandidature,
    Bureau,
    Candidature,
    Categorie,
    CompteCandidat,
    Departement,
    Domaine,
    EpreuveChoix,
    Pays,
    Periode,
    SessionExamen,
)
from ...rules import epreuves as moteur
from ...rules import inscriptions as regles
from ...rules.comptes import EtatCompte
from ...rules.errors import ConflictError, DomainError, NotFound, PermissionDenied, ValidationError
from ...rules.inscriptions import ETATS_ACTIFS, LIBELLES_ETATS, EtatCandidature, TypeDocument
from ...rules.temps import format_date_heure, paris
from ...rules.texte import verifier_caracteres
from .. import justificatifs
from ..noyau import Contexte, P, audit, autorise, charger_ou_erreur, conflit_si_perime, exiger
from ..publications import documents as publications
from ..publications import examen_de, message_candidat
from ..referentiel import code_departement_affiche
from .verification import verifier

CONFIRMATION_DESINSCRIPTION = (
    "Attention : vous vous apprêtez à vous désinscrire.\n"
    "En cas d'erreur de désinscription, vous devrez procéder à une réinscription pour être autorisé(e) "
    "à vous présenter.\n\n"
    "Etes-vous certain(e) de vouloir poursuivre cette action ?"
)
MESSAGE_MOTIF = "Indiquez le motif : il est enregistré dans le journal d'audit."


@dataclass(frozen=True)
class Offre:
    session_id: int
    session: str
    annee: int
    domaine_code: str
    domaine: str
    ouverture: datetime
    cloture: datetime
    ouverte: bool

    @property
    def texte(self) -> str:
        return regles.texte_periode(self.ouverture, self.cloture)


@dataclass(frozen=True)
class Identite:
    """The account's data shown greyed on the Identification tab."""

    numero_candidat: str
    civilite: str
    nom: str
    nom_usage: str
    prenoms: str
    date_naissance: date
    pays_naissance: str
    departement_naissance: str
    commune_naissance: str
    email: str


@dataclass(frozen=True)
class Demarrage:
    """Where the form is going: which account, examen and session, and in which circumstances."""

    compte_id: int
    identite: Identite
    session_id: int
    session: str
    annee: int
    domaine_code: str
    domaine: str
    academie: str
    ouverture: datetime
    cloture: datetime
    motif_hors_periode: str | None = None
    candidature_id: int | None = None          # set when modifying
    numero_inscription: str | None = None
    version: int = 0
    row_version: int | None = None
    etat: str | None = None

    @property
    def texte_periode(self) -> str:
        return regles.texte_periode(self.ouverture, self.cloture)


@dataclass(frozen=True)
class Enregistrement:
    candidature_id: int
    numero_candidat: str
    numero_inscription: str
    version: int
    inscrit_le: datetime
    cloture: datetime
    documents: tuple[str, ...]
    row_version: int


def offres(ctx: Contexte) -> list[Offre]:
    """Every domaine × session with a registration period, newest session first."""
    exiger(ctx, P.COMPTES_LIRE)
    now = ctx.clock.now()
    with ctx.lecture() as s:
        rows = s.execute(select(Periode, SessionExamen, Domaine)
                         .join(SessionExamen, Periode.session_id == SessionExamen.id)
                         .join(Domaine, Periode.domaine_code == Domaine.code)
                         .order_by(Domaine.ordre, SessionExamen.annee.desc(), SessionExamen.libelle)).all()
    return [Offre(se.id, se.libelle, se.annee, d.code, d.libelle_majuscules, p.ouverture, p.cloture,
                  regles.periode_ouverte(p.ouverture, p.cloture, now)) for p, se, d in rows]


def _identite(s: Session, c: CompteCandidat) -> Identite:
    pays = s.get(Pays, c.pays_naissance)
    dep = s.get(Departement, c.departement_naissance) if c.departement_naissance else None
    return Identite(c.numero_candidat, publications.CIVILITES.get(c.sexe, ""), c.nom, c.nom_usage or "",
                    c.prenoms, c.date_naissance,
                    "FRANCE (DONT OUTRE-MER)" if c.pays_naissance == "FR" else (pays.nom.upper() if pays else ""),
                    f"{code_departement_affiche(dep.code)} - {dep.nom.upper()}" if dep else "",
                    c.commune_naissance.upper(), c.email)


def _periode(s: Session, session_id: int, domaine_code: str) -> Periode:
    p = s.scalar(select(Periode).where(Periode.session_id == session_id, Periode.domaine_code == domaine_code))
    if p is None:
        raise DomainError("Aucune période d'inscription n'est ouverte pour cet examen et cette session.")
    return p


def _controle_periode(ctx: Contexte, p: Periode, motif: str | None) -> str | None:
    """None inside the period; outside, only a gestionnaire or chef de bureau goes on, with a reason."""
    now = ctx.clock.now()
    if regles.periode_ouverte(p.ouverture, p.cloture, now):
        return None
    if now < p.ouverture:
        texte = f"Les inscriptions ne sont pas encore ouvertes : elles ouvrent le {format_date_heure(p.ouverture)}"
    else:
        texte = f"Les inscriptions sont closes depuis le {format_date_heure(p.cloture)}"
    texte += " (heure de Paris)."
    if not autorise(ctx, P.INSCRIPTIONS_HORS_PERIODE):
        raise PermissionDenied(texte + " Seul un gestionnaire ou le chef de bureau peut intervenir en "
                                       "dehors de la période, en indiquant un motif.")
    if not (motif or "").strip():
        raise ValidationError({"motif": MESSAGE_MOTIF}, texte + " Indiquez le motif de l'intervention.")
    if m := verifier_caracteres(motif):
        raise ValidationError({"motif": m})
    return motif.strip() if motif else None


def hors_periode(ctx: Contexte, session_id: int, domaine_code: str) -> bool:
    with ctx.lecture() as s:
        p = _periode(s, session_id, domaine_code)
    return not regles.periode_ouverte(p.ouverture, p.cloture, ctx.clock.now())


def demarrer(ctx: Contexte, compte_id: int, session_id: int, domaine_code: str, *,
             motif: str | None = None) -> Demarrage:
    """« Démarrer mon inscription »: refused outside the period unless the office overrides it."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    with ctx.lecture() as s:
        compte = charger_ou_erreur(s, CompteCandidat, compte_id, "Ce compte n'existe plus.")
        if compte.etat != EtatCompte.ACTIF:
            raise DomainError("Le compte doit être activé (code reçu par mail) avant toute inscription.")
        p = _periode(s, session_id, domaine_code)
        motif_ok = _controle_periode(ctx, p, motif)
        se, dom, bureau = s.get(SessionExamen, session_id), s.get(Domaine, domaine_code), s.get(Bureau, 1)
        assert se is not None and dom is not None and bureau is not None
        return Demarrage(compte.id, _identite(s, compte), se.id, se.libelle, se.annee, dom.code,
                         dom.libelle_majuscules, bureau.academie, p.ouverture, p.cloture, motif_ok)


def saisie_initiale(ctx: Contexte, d: Demarrage) -> regles.SaisieCandidature:
    """A new form, with the address and phones of the account's latest candidature to save typing."""
    with ctx.lecture() as s:
        prec = s.scalar(select(Candidature).where(Candidature.compte_id == d.compte_id)
                        .order_by(Candidature.id.desc()).limit(1))
        saisie = regles.SaisieCandidature()
        if prec is not None:
            for champ in ("adresse_pays", "adresse_voie", "adresse_complement1", "adresse_complement2",
                          "adresse_complement3", "code_postal", "localite", "commune_code", "nationalite",
                          "telephone_mobile", "telephone_fixe"):
                setattr(saisie, champ, getattr(prec, champ) or getattr(saisie, champ))
        return saisie


def verifier_onglet(ctx: Contexte, d: Demarrage, saisie: regles.SaisieCandidature, onglet: int) -> None:
    """Before Suivant: the messages of this tab (and of earlier ones), raised as a ValidationError."""
    with ctx.lecture() as s:
        v = verifier(s, d.domaine_code, d.annee, saisie, jusqu_a=onglet)
    if v.erreurs:
        raise ValidationError(v.erreurs)


def calculer_epreuves(ctx: Contexte, d: Demarrage, saisie: regles.SaisieCandidature) -> moteur.Resultat | None:
    """The épreuves as they stand (None until catégorie and spécialité are chosen)."""
    with ctx.lecture() as s:
        return verifier(s, d.domaine_code, d.annee, saisie, jusqu_a=regles.EPREUVES).epreuves


def _appliquer(c: Candidature, saisie: regles.SaisieCandidature, d: Demarrage, compte: CompteCandidat,
               resultat: moteur.Resultat) -> None:
    for champ in ("adresse_pays", "categorie_code", "situation_code", "amenagement_duree", "handicap",
                  "consentement_presse", "consentement_collectivites", "section_langue", "forme_passage",
                  "derogation", "nationalite", "etablissement_uai"):
        setattr(c, champ, getattr(saisie, champ))
    for champ in ("adresse_voie", "adresse_complement1", "adresse_complement2", "adresse_complement3",
                  "localite", "classe"):
        setattr(c, champ, " ".join((getattr(saisie, champ) or "").split()) or None)
    c.code_postal = saisie.code_postal.strip() or None
    c.commune_code = saisie.commune_code
    c.ine = saisie.ine.strip().upper() or None
    c.telephone_mobile = regles.telephone_normalise(saisie.telephone_mobile) or None
    c.telephone_fixe = regles.telephone_normalise(saisie.telephone_fixe) or None
    c.condition_acces = saisie.condition_acces or None
    c.forme_finale = saisie.forme_retenue
    c.email = compte.email
    c.specialite_id = saisie.specialite_id
    c.vae = any(a.code == "VAE" for a in saisie.acquis)
    c.choix = saisie.choix.vers_json()
    c.acquis = [AcquisCandidature(ordre=i, type_code=a.code, annee=a.annee, academie=a.academie.strip() or None,
                                  notes=dict(a.notes), dispenses=list(a.dispenses))
                for i, a in enumerate(saisie.acquis)]
    c.epreuves = [EpreuveChoix(ordre=i, code=x.code, unite=x.unite, intitule=x.intitule, niveau=x.niveau,
                               nature=x.nature, groupe=x.groupe, position=x.position, mode=x.mode,
                               detail=x.detail, note=x.note, annee_note=x.annee_note)
                  for i, x in enumerate(resultat.lignes)]


def _verifier_tout(s: Session, d: Demarrage, saisie: regles.SaisieCandidature) -> moteur.Resultat:
    v = verifier(s, d.domaine_code, d.annee, saisie)
    if v.erreurs:
        raise ValidationError(v.erreurs)
    assert v.epreuves is not None
    return v.epreuves


def _numero_suivant(s: Session, compte_id: int) -> str:
    dernier = s.scalar(select(func.max(Candidature.numero_inscription)).where(Candidature.compte_id == compte_id))
    return f"{int(dernier or 0) + 1:03d}"


def _deja_inscrit(s: Session, d: Demarrage, specialite_id: str, sauf: int | None = None) -> Candidature | None:
    q = select(Candidature).where(Candidature.compte_id == d.compte_id, Candidature.session_id == d.session_id,
                                  Candidature.specialite_id == specialite_id,
                                  Candidature.etat.in_(ETATS_ACTIFS))
    if sauf is not None:
        q = q.where(Candidature.id != sauf)
    return s.scalar(q.limit(1))


def _corps_inscription(c: Candidature, examen: str, cloture: datetime, numero_candidat: str) -> str:
    return (f"Bonjour,\n\nVotre inscription à l'examen {examen} a bien été prise en compte le "
            f"{format_date_heure(c.inscrit_le)} (heure de Paris).\n\n"
            f"Votre numéro candidat : {numero_candidat}\nVotre numéro d'inscription : {c.numero_inscription}\n\n"
            "Vous pourrez consulter et, éventuellement, modifier les données de votre dossier avant la "
            f"fermeture du service fixée le {format_date_heure(cloture)} (heure de Paris).\n\n"
            "Le récapitulatif de votre candidature est disponible dans « Mes documents » : signez-le et "
            "retournez-le avec vos pièces justificatives.\n\nCordialement\n\nLe Service Gestionnaire")


def enregistrer(ctx: Contexte, d: Demarrage, saisie: regles.SaisieCandidature) -> Enregistrement:
    """Enregistrer: the candidature, its numbers, version 1, the récapitulatif and the message, together."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    if d.candidature_id is not None:
        return modifier(ctx, d, saisie)
    with ctx.transaction() as s:
        p = _periode(s, d.session_id, d.domaine_code)
        motif = _controle_periode(ctx, p, d.motif_hors_periode)
        compte = charger_ou_erreur(s, CompteCandidat, d.compte_id, "Ce compte n'existe plus.")
        resultat = _verifier_tout(s, d, saisie)
        if (autre := _deja_inscrit(s, d, saisie.specialite_id)) is not None:
            raise ValidationError({"specialite_id": (
                f"Ce candidat est déjà inscrit à cette spécialité pour la session {d.session} "
                f"(inscription n° {autre.numero_inscription}).")})
        now = ctx.clock.now()
        c = Candidature(compte_id=compte.id, numero_inscription=_numero_suivant(s, compte.id),
                        session_id=d.session_id, domaine_code=d.domaine_code, etat=EtatCandidature.INSCRIT, version=1,
                        cree_le=now, inscrit_le=now, etat_le=now, hors_periode_motif=motif)
        _appliquer(c, saisie, d, compte, resultat)
        s.add(c)
        try:
            s.flush()
        except IntegrityError as exc:   # another workstation registered the same candidate meanwhile
            raise ConflictError("Une autre inscription de ce candidat vient d'être enregistrée sur un autre "
                                "poste : rien n'a été enregistré. Réessayez.") from exc
        publications.publier_recapitulatif(s, ctx, c, compte)
        documents = [TypeDocument.RECAPITULATIF.libelle]
        if justificatifs.synchroniser(s, ctx, c, compte):
            publications.publier_pieces(s, ctx, c, compte, relance=False)
            documents.append(TypeDocument.DEMANDE_PIECES.libelle)
        examen = examen_de(s, c)
        message_candidat(s, ctx, c, compte, f"Confirmation d'inscription : {examen}",
                 _corps_inscription(c, examen, p.cloture, compte.numero_candidat))
        audit.enregistrer(s, ctx, "inscription", "candidature", c.id,
                          libelle=f"Candidature {compte.numero_candidat}-{c.numero_inscription} {examen}",
                          apres=_instantane(c), motif=motif)
        s.flush()
        return Enregistrement(c.id, compte.numero_candidat, c.numero_inscription, c.version, now, p.cloture,
                              tuple(documents), c.row_version)


def _instantane(c: Candidature) -> dict[str, object]:
    champs = ("etat", "version", "specialite_id", "categorie_code", "situation_code", "etablissement_uai",
              "handicap", "amenagement_duree", "consentement_presse", "consentement_collectivites",
              "forme_passage", "derogation", "forme_finale", "section_langue", "adresse_voie", "code_postal",
              "localite", "nationalite", "telephone_mobile", "telephone_fixe", "choix")
    out: dict[str, object] = {k: getattr(c, k) for k in champs}
    out["acquis"] = [a.type_code for a in c.acquis]
    out["epreuves"] = {e.code: e.position for e in c.epreuves}
    return out


def _charger(s: Session, candidature_id: int) -> Candidature:
    c = s.scalar(select(Candidature).where(Candidature.id == candidature_id)
                 .options(selectinload(Candidature.acquis), selectinload(Candidature.epreuves)))
    if c is None:
        raise NotFound("Cette candidature n'existe plus.")
    return c


def ouvrir(ctx: Contexte, candidature_id: int) -> tuple[Demarrage, regles.SaisieCandidature]:
    """A saved candidature as the form shows it (Consultation; Modifier starts from here)."""
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        c = _charger(s, candidature_id)
        compte = s.get(CompteCandidat, c.compte_id)
        p = _periode(s, c.session_id, c.domaine_code)
        se, dom, bureau = s.get(SessionExamen, c.session_id), s.get(Domaine, c.domaine_code), s.get(Bureau, 1)
        assert compte is not None and se is not None and dom is not None and bureau is not None
        d = Demarrage(compte.id, _identite(s, compte), se.id, se.libelle, se.annee, dom.code,
                      dom.libelle_majuscules, bureau.academie, p.ouverture, p.cloture, None, c.id,
                      c.numero_inscription, c.version, c.row_version, c.etat)
        saisie = regles.SaisieCandidature(
            modalites_acceptees=True, conditions_acceptees=False,
            adresse_pays=c.adresse_pays or "FR", adresse_voie=c.adresse_voie or "",
            adresse_complement1=c.adresse_complement1 or "", adresse_complement2=c.adresse_complement2 or "",
            adresse_complement3=c.adresse_complement3 or "", code_postal=c.code_postal or "",
            localite=c.localite or "", commune_code=c.commune_code, nationalite=c.nationalite or "",
            telephone_mobile=c.telephone_mobile or "", telephone_fixe=c.telephone_fixe or "",
            categorie_code=c.categorie_code or "", situation_code=c.situation_code or "",
            amenagement_duree=c.amenagement_duree, etablissement_uai=c.etablissement_uai or "",
            classe=c.classe or "", ine=c.ine or "", handicap=c.handicap,
            consentement_presse=c.consentement_presse, consentement_collectivites=c.consentement_collectivites,
            condition_acces=c.condition_acces or "", specialite_id=c.specialite_id or "",
            section_langue=c.section_langue or "AUCUNE", forme_passage=c.forme_passage or "globale",
            derogation=bool(c.derogation), forme_finale=c.forme_finale or "globale",
            acquis=[regles.SaisieAcquis(a.type_code, a.annee, a.academie or "", dict(a.notes), list(a.dispenses))
                    for a in c.acquis],
            choix=moteur.Choix.depuis_json(c.choix))
        return d, saisie


def preparer_modification(ctx: Contexte, d: Demarrage, *, motif: str | None = None) -> Demarrage:
    """Modifier: inside the period for everyone; afterwards only the office, with a reason."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    if d.etat not in ETATS_ACTIFS:
        raise DomainError(f"Une candidature « {LIBELLES_ETATS.get(d.etat or '', d.etat)} » ne peut "
                          "plus être modifiée.")
    with ctx.lecture() as s:
        motif_ok = _controle_periode(ctx, _periode(s, d.session_id, d.domaine_code), motif)
    return replace(d, motif_hors_periode=motif_ok)


def modifier(ctx: Contexte, d: Demarrage, saisie: regles.SaisieCandidature) -> Enregistrement:
    """A saved modification: version + 1, a new récapitulatif version, « Modification d'inscription »."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    assert d.candidature_id is not None and d.row_version is not None
    with ctx.transaction() as s:
        p = _periode(s, d.session_id, d.domaine_code)
        motif = _controle_periode(ctx, p, d.motif_hors_periode)
        c = _charger(s, d.candidature_id)
        if c.row_version != d.row_version:
            raise ConflictError("Cette candidature a été modifiée entre-temps sur un autre poste : "
                                "rechargez-la pour voir ses nouvelles données avant de la modifier.")
        if c.etat not in ETATS_ACTIFS:
            raise DomainError("Cette candidature n'est plus active : elle ne peut plus être modifiée.")
        compte = s.get(CompteCandidat, c.compte_id)
        assert compte is not None
        resultat = _verifier_tout(s, d, saisie)
        if _deja_inscrit(s, d, saisie.specialite_id, sauf=c.id) is not None:
            raise ValidationError({"specialite_id": "Ce candidat est déjà inscrit à cette spécialité pour "
                                                    "cette session."})
        avant = _instantane(c)
        now = ctx.clock.now()
        _appliquer(c, saisie, d, compte, resultat)
        c.version += 1
        c.modifie_le = now
        if c.etat == EtatCandidature.A_COMPLETER:
            c.etat, c.inscrit_le, c.etat_le = EtatCandidature.INSCRIT, now, now
        with conflit_si_perime("Cette candidature a été modifiée entre-temps sur un autre poste."):
            s.flush()
        publications.publier_recapitulatif(s, ctx, c, compte)
        documents = [TypeDocument.RECAPITULATIF.libelle]
        if justificatifs.synchroniser(s, ctx, c, compte):
            publications.publier_pieces(s, ctx, c, compte, relance=False)
            documents.append(TypeDocument.DEMANDE_PIECES.libelle)
        examen = examen_de(s, c)
        message_candidat(s, ctx, c, compte, f"Modification d'inscription : {examen}", (
            f"Bonjour,\n\nLa modification de votre inscription à l'examen {examen} (inscription n° "
            f"{c.numero_inscription}) a été enregistrée le {format_date_heure(now)} (heure de Paris).\n\n"
            f"Une nouvelle version (n° {c.version}) du récapitulatif de votre candidature est disponible dans "
            "« Mes documents ».\n\nCordialement\n\nLe Service Gestionnaire"))
        av, ap = audit.difference(avant, _instantane(c))
        audit.enregistrer(s, ctx, "modification_inscription", "candidature", c.id,
                          libelle=f"Candidature {compte.numero_candidat}-{c.numero_inscription} version {c.version}",
                          avant=av, apres=ap, motif=motif)
        s.flush()
        return Enregistrement(c.id, compte.numero_candidat, c.numero_inscription, c.version,
                              c.inscrit_le or now, p.cloture, tuple(documents), c.row_version)


def apercu_recapitulatif(ctx: Contexte, d: Demarrage, saisie: regles.SaisieCandidature) -> bytes:
    """Visualiser/imprimer before Enregistrer: the récapitulatif as it would print, marked as a draft."""
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        compte = s.get(CompteCandidat, d.compte_id)
        assert compte is not None
        v = verifier(s, d.domaine_code, d.annee, saisie, jusqu_a=regles.EPREUVES)
        c = Candidature(compte_id=compte.id, numero_inscription=d.numero_inscription or "",
                        session_id=d.session_id, domaine_code=d.domaine_code)
        _appliquer(c, saisie, d, compte, v.epreuves or moteur.Resultat((), {}, {}, {}, (), {}, ()))
        now = ctx.clock.now()
        donnees = publications.donnees_recapitulatif(s, c, compte, version=d.version + 1, version_le=now,
                                                     aujourd_hui=paris(now).date(), brouillon=True)
        s.expunge_all()
    return publications.recapitulatif_pdf(donnees)


def desinscrire(ctx: Contexte, candidature_id: int, *, row_version: int, motif: str | None = None) -> None:
    """An individual candidate while the period is open; otherwise only the office, with a reason
    (docs/domaine/inscriptions.md#desinscription). The candidature stays visible to the office as
    « Désinscrit par le candidat »."""
    exiger(ctx, P.INSCRIPTIONS_ECRIRE)
    if m := verifier_caracteres(motif):
        raise ValidationError({"motif": m})
    with ctx.transaction() as s:
        c = _charger(s, candidature_id)
        if c.row_version != row_version:
            raise ConflictError("Cette candidature a été modifiée entre-temps sur un autre poste : "
                                "rechargez-la avant de la désinscrire.")
        if c.etat not in ETATS_ACTIFS:
            raise DomainError("Cette candidature n'est plus active.")
        p = _periode(s, c.session_id, c.domaine_code)
        categorie = s.get(Categorie, c.categorie_code) if c.categorie_code else None
        individuel = bool(categorie and categorie.individuel)
        ouverte = regles.periode_ouverte(p.ouverture, p.cloture, ctx.clock.now())
        motif_ok = (motif or "").strip() or None
        if not (individuel and ouverte):
            if not autorise(ctx, P.INSCRIPTIONS_HORS_PERIODE):
                raise PermissionDenied(
                    "Seul un candidat individuel peut se désinscrire, et seulement pendant la période "
                    "d'inscription. Adressez-vous à un gestionnaire ou au chef de bureau.")
            if motif_ok is None:
                raise ValidationError({"motif": MESSAGE_MOTIF}, "Indiquez le motif de la désinscription.")
        compte = s.get(CompteCandidat, c.compte_id)
        assert compte is not None
        now = ctx.clock.now()
        avant = c.etat
        c.etat, c.etat_le, c.motif_etat = EtatCandidature.DESINSCRIT, now, motif_ok
        with conflit_si_perime("Cette candidature a été modifiée entre-temps sur un autre poste."):
            s.flush()
        examen = examen_de(s, c)
        message_candidat(s, ctx, c, compte, f"Confirmation de désinscription : {examen}", (
            f"Bonjour,\n\nVotre désinscription de l'examen {examen} (inscription n° {c.numero_inscription}) "
            f"a été enregistrée le {format_date_heure(now)} (heure de Paris).\n\n"
            "En cas d'erreur, vous devrez procéder à une nouvelle inscription pour être autorisé(e) à vous "
            "présenter.\n\nCordialement\n\nLe Service Gestionnaire"))
        audit.enregistrer(s, ctx, "desinscription", "candidature", c.id,
                          libelle=f"Candidature {compte.numero_candidat}-{c.numero_inscription}",
                          avant={"etat": avant}, apres={"etat": EtatCandidature.DESINSCRIT}, motif=motif_ok)
