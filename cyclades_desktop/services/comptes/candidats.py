"""Comptes candidats (docs/domaine/comptes.md): creation, activation and the 48 h purge,
modification rules, deletion, password reset, search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Candidature, Commune, CompteCandidat, Departement, Message, Pays, Sequence
from ...rules import comptes as regles
from ...rules.comptes import DELAI_ACTIVATION, EtatCompte, activation_expiree
from ...rules.errors import ConflictError, DomainError, ValidationError
from ...rules.temps import format_date, format_date_heure
from ...rules.texte import (
    chiffres_ascii,
    cle_recherche,
    espaces_normalises,
    nom_majuscules,
    prenoms_normalises,
    verifier_caracteres,
)
from .. import courriels
from ..noyau import (
    Contexte,
    P,
    audit,
    autorise,
    charger_ou_erreur,
    conflit_si_perime,
    exiger,
    securite,
)

# The search has its own module; callers still find it here.
from .recherche import LigneCompte as LigneCompte
from .recherche import rechercher as rechercher

SEQUENCE_NUMERO = "numero_candidat"
MESSAGE_EMAIL_PRIS = "Un compte existe déjà avec cette adresse mail : il ne peut y avoir qu'un compte par adresse."
MESSAGE_VERROU = ("Une candidature existe : seuls l'adresse mail et le mot de passe sont modifiables. "
                  "Les autres corrections sont faites par un gestionnaire.")
CHAMPS_APRES_CANDIDATURE = ("email", "mot_de_passe")


@dataclass(frozen=True)
class CompteCree:
    id: int
    numero_candidat: str
    code_activation: str
    message_id: int | None = None    # the message carrying the code: the counter says what became of it


@dataclass(frozen=True, slots=True)
class VueCompte:
    """One account as the fiche and the modification form show it (no password hash, no activation
    code); ``row_version`` goes back to ``modifier_compte`` to refuse a concurrent change."""
    id: int
    numero_candidat: str
    email: str
    sexe: str
    nom: str
    nom_usage: str | None
    prenoms: str
    date_naissance: date
    pays_naissance: str
    departement_naissance: str | None
    commune_naissance_code: str | None
    commune_naissance: str
    etat: str
    cree_le: datetime
    active_le: datetime | None
    row_version: int


@dataclass(frozen=True, slots=True)
class VueCommune:
    """The birth commune of an account, as the form's commune picker selects it."""
    id: int
    code_insee: str
    nom: str
    departement: str


@dataclass(frozen=True, slots=True)
class VueMessage:
    id: int
    objet: str
    corps: str
    destinataire: str
    cree_le: datetime


# --- helpers ---------------------------------------------------------------------------------

def _instantane(c: CompteCandidat) -> dict[str, object]:
    return {
        "numero_candidat": c.numero_candidat, "sexe": c.sexe, "nom": c.nom, "nom_usage": c.nom_usage,
        "prenoms": c.prenoms, "date_naissance": c.date_naissance, "pays_naissance": c.pays_naissance,
        "departement_naissance": c.departement_naissance, "commune_naissance": c.commune_naissance,
        "email": c.email, "login": c.login, "etat": c.etat,
    }


def _a_des_candidatures(s: Session, compte_id: int) -> bool:
    return bool(s.scalar(select(exists().where(Candidature.compte_id == compte_id))))


def _prochain_numero(s: Session) -> str:
    # UPDATE … RETURNING holds the row lock until commit: two counters never get the same number,
    # and a number is never handed out again even if its account is deleted.
    valeur = s.execute(
        update(Sequence).where(Sequence.nom == SEQUENCE_NUMERO).values(valeur=Sequence.valeur + 1)
        .returning(Sequence.valeur)
    ).scalar_one_or_none()
    if valeur is None:
        raise DomainError("Le référentiel n'est pas chargé (séquence des numéros candidats absente).")
    return regles.numero_candidat(valeur)


def _lieu_naissance(s: Session, saisie: regles.SaisieCompte) -> tuple[str | None, str | None, str]:
    """(département, code INSEE, libellé de la commune), checked against the référentiel."""
    if s.get(Pays, saisie.pays_naissance) is None:
        raise ValidationError({"pays_naissance": "Pays de naissance inconnu."})
    if saisie.pays_naissance != regles.PAYS_FRANCE:
        return None, None, espaces_normalises(saisie.commune_naissance_etranger).upper()
    if s.get(Departement, saisie.departement_naissance) is None:
        raise ValidationError({"departement_naissance": "Département, DOM ou COM inconnu."})
    commune = (s.get(Commune, int(saisie.commune_naissance)) if chiffres_ascii(saisie.commune_naissance)
               and len(saisie.commune_naissance) < 10 else None)
    if commune is None or commune.departement != saisie.departement_naissance:
        raise ValidationError({"commune_naissance": "Choisissez une commune de ce département dans la liste."})
    return saisie.departement_naissance, commune.code_insee, commune.nom.upper()


def _email_libre(s: Session, email_normalise: str, sauf_id: int | None = None) -> bool:
    q = select(CompteCandidat.id).where(CompteCandidat.email_normalise == email_normalise)
    found = s.scalar(q)
    return found is None or found == sauf_id


def _appliquer_identite(c: CompteCandidat, saisie: regles.SaisieCompte, lieu: tuple[str | None, str | None, str]) -> None:
    c.sexe = saisie.sexe
    c.nom = nom_majuscules(saisie.nom)
    c.nom_usage = nom_majuscules(saisie.nom_usage) or None
    c.prenoms = prenoms_normalises(saisie.prenoms)
    d = regles.parser_date(saisie.date_naissance)
    assert d is not None
    c.date_naissance = d
    c.pays_naissance = saisie.pays_naissance
    c.departement_naissance, c.commune_naissance_code, c.commune_naissance = lieu
    c.cle = cle_recherche(f"{c.nom} {c.prenoms}")
    c.nom_usage_cle = cle_recherche(c.nom_usage) or None


def _message(s: Session, ctx: Contexte, compte: CompteCandidat, objet: str, corps: str) -> Message:
    # Through the outbox: the e-mail is queued in the same transaction (services/courriels/boite_envoi.py).
    return courriels.nouveau_message(s, ctx, compte.id, None, objet, corps, compte.email)


def _flush_unique(s: Session) -> None:
    try:
        s.flush()
    except IntegrityError as exc:
        raise ValidationError({"email": MESSAGE_EMAIL_PRIS}) from exc


# --- creation and activation -----------------------------------------------------------------

def creer_compte(ctx: Contexte, saisie: regles.SaisieCompte) -> CompteCree:
    exiger(ctx, P.COMPTES_ECRIRE)
    if errors := regles.valider_saisie_compte(saisie, ctx.clock.now()):
        raise ValidationError(errors)
    email_n = regles.normaliser_email(saisie.email)
    code = securite.code_activation()
    with ctx.transaction() as s:
        lieu = _lieu_naissance(s, saisie)
        if not _email_libre(s, email_n):
            raise ValidationError({"email": MESSAGE_EMAIL_PRIS})
        now = ctx.clock.now()
        compte = CompteCandidat(
            numero_candidat=_prochain_numero(s), email=saisie.email.strip(), email_normalise=email_n,
            mot_de_passe_hash=securite.hacher(saisie.mot_de_passe), etat=EtatCompte.EN_ATTENTE,
            code_activation_hash=securite.hacher(code), cree_le=now,
        )
        _appliquer_identite(compte, saisie, lieu)
        s.add(compte)
        _flush_unique(s)
        limite = format_date_heure(now + DELAI_ACTIVATION)
        message = _message(s, ctx, compte, "[CYCLADES] Activer mon compte", (
            "Bonjour,\n\nVous venez de créer un compte sur Cyclades. Votre inscription sera possible "
            "seulement quand vous aurez activé votre compte.\n\n"
            f"Votre code d'activation : {code}\n"
            "Communiquez ce code à l'accueil du service des examens, ou saisissez-le à votre prochaine "
            f"visite, avant le {limite} (heure de Paris).\n\n"
            "Ce code n'est valable que pour une durée de 48h. Passé ce délai, vos informations seront "
            "effacées.\n\nA bientôt sur Cyclades\n\nCordialement\n\nLe Service Gestionnaire"))
        audit.enregistrer(s, ctx, "creation", "compte", compte.id,
                          libelle=f"Compte {compte.numero_candidat} {compte.nom} {compte.prenoms}",
                          apres=_instantane(compte))
        return CompteCree(compte.id, compte.numero_candidat, code, message.id)


def activer_compte(ctx: Contexte, compte_id: int, code: str) -> None:
    exiger(ctx, P.COMPTES_ECRIRE)
    with ctx.transaction() as s:
        compte = _charger(s, compte_id)
        if compte.etat == EtatCompte.ACTIF:
            return
        if activation_expiree(compte.cree_le, ctx.clock.now()):
            raise ValidationError({"code_activation": (
                "Le délai de 48 heures est dépassé : le compte va être supprimé, il faut recommencer "
                "la création du compte.")})
        if m := verifier_caracteres(code):
            raise ValidationError({"code_activation": m})
        if not compte.code_activation_hash or not securite.verifier(compte.code_activation_hash, code.strip()):
            raise ValidationError({"code_activation": "Code d'activation incorrect."})
        compte.etat = EtatCompte.ACTIF
        compte.active_le = ctx.clock.now()
        compte.code_activation_hash = None
        audit.enregistrer(s, ctx, "activation", "compte", compte.id, libelle=f"Compte {compte.numero_candidat}",
                          avant={"etat": EtatCompte.EN_ATTENTE}, apres={"etat": EtatCompte.ACTIF})


def purger_comptes_non_actives(ctx: Contexte) -> int:
    """Delete accounts not activated within 48 h, with their data (docs/domaine/comptes.md#activation).
    Idempotent. The start-up and hourly runs pass SYSTEME: an unsigned context is refused, like any."""
    exiger(ctx, P.MAINTENANCE)
    with ctx.transaction() as s:
        # The retention setting (rgpd/conservation.py) may lengthen the 48 h, never shorten it.
        from ..rgpd import lire_conservation_session

        limite = ctx.clock.now() - timedelta(hours=lire_conservation_session(s).heures_comptes_non_actives)
        perimes = list(s.scalars(select(CompteCandidat).where(
            CompteCandidat.etat == EtatCompte.EN_ATTENTE, CompteCandidat.cree_le < limite,
            ~exists().where(Candidature.compte_id == CompteCandidat.id))))
        for compte in perimes:
            audit.enregistrer(s, ctx, "purge_48h", "compte", compte.id,
                              libelle=f"Compte {compte.numero_candidat} non activé sous 48 h",
                              avant=_instantane(compte))
        ids = [c.id for c in perimes]
        if ids:
            s.execute(delete(Message).where(Message.compte_id.in_(ids)))
            s.execute(delete(CompteCandidat).where(CompteCandidat.id.in_(ids)))
        return len(ids)


# --- reading -----------------------------------------------------------------------------------

def _charger(s: Session, compte_id: int) -> CompteCandidat:
    compte = charger_ou_erreur(s, CompteCandidat, compte_id, "Ce compte candidat n'existe plus.")
    return compte


def _vue(c: CompteCandidat) -> VueCompte:
    return VueCompte(
        id=c.id, numero_candidat=c.numero_candidat, email=c.email, sexe=c.sexe, nom=c.nom, nom_usage=c.nom_usage,
        prenoms=c.prenoms, date_naissance=c.date_naissance, pays_naissance=c.pays_naissance,
        departement_naissance=c.departement_naissance, commune_naissance_code=c.commune_naissance_code,
        commune_naissance=c.commune_naissance, etat=c.etat, cree_le=c.cree_le, active_le=c.active_le,
        row_version=c.row_version)


def obtenir(ctx: Contexte, compte_id: int) -> VueCompte:
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        return _vue(_charger(s, compte_id))


def a_des_candidatures(ctx: Contexte, compte_id: int) -> bool:
    with ctx.lecture() as s:
        return _a_des_candidatures(s, compte_id)


def saisie_depuis_compte(c: VueCompte, commune_id: int | None = None) -> regles.SaisieCompte:
    d = format_date(c.date_naissance)
    return regles.SaisieCompte(
        sexe=c.sexe, nom=c.nom, nom_confirmation=c.nom, nom_usage=c.nom_usage or "", prenoms=c.prenoms,
        date_naissance=d, date_naissance_confirmation=d, pays_naissance=c.pays_naissance,
        departement_naissance=c.departement_naissance or "",
        commune_naissance=str(commune_id) if commune_id else "",
        commune_naissance_etranger=c.commune_naissance if c.pays_naissance != regles.PAYS_FRANCE else "",
        email=c.email, email_confirmation=c.email,
    )


def commune_du_compte(ctx: Contexte, c: VueCompte) -> VueCommune | None:
    if not c.commune_naissance_code:
        return None
    with ctx.lecture() as s:
        rows = [VueCommune(r.id, r.code_insee, r.nom, r.departement)
                for r in s.scalars(select(Commune).where(Commune.code_insee == c.commune_naissance_code))]
    for r in rows:
        if r.nom.upper() == c.commune_naissance:
            return r
    return rows[0] if rows else None


def trouver_par_identifiant(ctx: Contexte, identifiant: str) -> CompteCandidat:
    """By e-mail, login (nom.prenomX) or N° candidat, as the portal's 'Mot de passe oublié'."""
    exiger(ctx, P.COMPTES_LIRE)
    ident = identifiant.strip()
    if m := verifier_caracteres(ident):  # never sent to the database (PostgreSQL refuses a NUL)
        raise ValidationError({"identifiant": m})
    with ctx.lecture() as s:
        if chiffres_ascii(ident):
            q = select(CompteCandidat).where(CompteCandidat.numero_candidat == ident)
        elif "@" in ident:
            q = select(CompteCandidat).where(CompteCandidat.email_normalise == regles.normaliser_email(ident))
        else:
            q = select(CompteCandidat).where(CompteCandidat.login == ident.lower())
        compte = s.scalar(q)
    if compte is None:
        raise ValidationError({"identifiant": "Aucun compte ne correspond à cet identifiant."})
    return compte


def compter(ctx: Contexte) -> int:
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        return s.scalar(select(func.count()).select_from(CompteCandidat)) or 0


def messages(ctx: Contexte, compte_id: int) -> list[VueMessage]:
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        return [VueMessage(m.id, m.objet, m.corps, m.destinataire, m.cree_le)
                for m in s.scalars(select(Message).where(Message.compte_id == compte_id)
                                   .order_by(Message.cree_le.desc(), Message.id.desc()))]


# --- modification, deletion, password ---------------------------------------------------------

def champs_modifiables(ctx: Contexte, compte_id: int) -> tuple[str, ...] | None:
    """None means everything; otherwise the fields a modification may touch
    (docs/domaine/comptes.md#modification)."""
    if autorise(ctx, P.COMPTES_CORRIGER) or not a_des_candidatures(ctx, compte_id):
        return None
    return CHAMPS_APRES_CANDIDATURE


def modifier_compte(ctx: Contexte, compte_id: int, saisie: regles.SaisieCompte, *, row_version: int,
                    motif: str | None = None) -> None:
    """Empty password fields keep the current password. After a first candidature only the
    e-mail and password change, unless a gestionnaire corrects the identity with a reason."""
    exiger(ctx, P.COMPTES_ECRIRE)
    if m := verifier_caracteres(motif):
        raise ValidationError({"motif": m})
    avec_mdp = bool(saisie.mot_de_passe or saisie.mot_de_passe_confirmation)
    with ctx.transaction() as s:
        compte = _charger(s, compte_id)
        if compte.row_version != row_version:
            raise ConflictError("Ce compte a été modifié entre-temps par un autre poste : rechargez-le "
                                "puis refaites votre modification.")
        avant = _instantane(compte)
        verrouille = _a_des_candidatures(s, compte.id)
        errors = regles.valider_saisie_compte(saisie, ctx.clock.now(), avec_mot_de_passe=avec_mdp)
        if errors:
            raise ValidationError(errors)
        lieu = _lieu_naissance(s, saisie)
        identite_change = _identite_change(compte, saisie, lieu)
        if verrouille and identite_change:
            if not autorise(ctx, P.COMPTES_CORRIGER):
                raise ValidationError({k: MESSAGE_VERROU for k in identite_change})
            if not (motif or "").strip():
                raise ValidationError({"motif": "Indiquez le motif de la correction d'identité."})
        email_n = regles.normaliser_email(saisie.email)
        if not _email_libre(s, email_n, compte.id):
            raise ValidationError({"email": MESSAGE_EMAIL_PRIS})
        if identite_change:
            _appliquer_identite(compte, saisie, lieu)
        compte.email, compte.email_normalise = saisie.email.strip(), email_n
        if avec_mdp:
            compte.mot_de_passe_hash = securite.hacher(saisie.mot_de_passe)
        compte.modifie_le = ctx.clock.now()
        with conflit_si_perime("Ce compte a été modifié entre-temps par un autre poste."):
            _flush_unique(s)
        av, ap = audit.difference(avant, _instantane(compte))
        if avec_mdp:
            ap["mot_de_passe"] = "modifié"
        if ap:
            action = "correction_identite" if verrouille and identite_change else "modification"
            audit.enregistrer(s, ctx, action, "compte", compte.id, libelle=f"Compte {compte.numero_candidat}",
                              avant=av, apres=ap, motif=(motif or None))


def _identite_change(c: CompteCandidat, saisie: regles.SaisieCompte,
                     lieu: tuple[str | None, str | None, str]) -> list[str]:
    nouveau = {
        "sexe": saisie.sexe, "nom": nom_majuscules(saisie.nom),
        "nom_usage": nom_majuscules(saisie.nom_usage) or None, "prenoms": prenoms_normalises(saisie.prenoms),
        "date_naissance": regles.parser_date(saisie.date_naissance), "pays_naissance": saisie.pays_naissance,
        "departement_naissance": lieu[0], "commune_naissance": lieu[2],
    }
    actuel = {
        "sexe": c.sexe, "nom": c.nom, "nom_usage": c.nom_usage, "prenoms": c.prenoms,
        "date_naissance": c.date_naissance, "pays_naissance": c.pays_naissance,
        "departement_naissance": c.departement_naissance, "commune_naissance": c.commune_naissance,
    }
    return [k for k in nouveau if nouveau[k] != actuel[k]]


def supprimer_compte(ctx: Contexte, compte_id: int) -> None:
    exiger(ctx, P.COMPTES_ECRIRE)
    with ctx.transaction() as s:
        compte = _charger(s, compte_id)
        if _a_des_candidatures(s, compte.id):
            raise DomainError(regles.MESSAGE_SUPPRESSION_REFUSEE)
        audit.enregistrer(s, ctx, "suppression", "compte", compte.id,
                          libelle=f"Compte {compte.numero_candidat} {compte.nom} {compte.prenoms}",
                          avant=_instantane(compte))
        s.execute(delete(Message).where(Message.compte_id == compte.id))
        s.delete(compte)


def reinitialiser_mot_de_passe(ctx: Contexte, identifiant: str) -> tuple[VueCompte, str]:
    """A provisional password meeting the policy, shown once to the agent and sent by message."""
    exiger(ctx, P.COMPTES_ECRIRE)
    compte = trouver_par_identifiant(ctx, identifiant)
    provisoire = securite.mot_de_passe_provisoire()
    with ctx.transaction() as s:
        c = _charger(s, compte.id)
        c.mot_de_passe_hash = securite.hacher(provisoire)
        c.modifie_le = ctx.clock.now()
        _message(s, ctx, c, "[CYCLADES] Réinitialisation de votre mot de passe", (
            "Bonjour,\n\nLe mot de passe de votre compte Cyclades a été réinitialisé à votre demande par le "
            "service des examens.\nUn mot de passe provisoire vous a été remis ; nous vous conseillons de "
            "le personnaliser lors de votre prochaine connexion.\n\nCordialement\n\nLe Service Gestionnaire"))
        audit.enregistrer(s, ctx, "reinitialisation_mot_de_passe", "compte", c.id,
                          libelle=f"Compte {c.numero_candidat}", apres={"mot_de_passe": "réinitialisé"})
        return _vue(c), provisoire


def verifier_connexion_candidat(ctx: Contexte, identifiant: str, mot_de_passe: str) -> VueCompte:
    """The candidate's own login check (e-mail, login or N° candidat + password)."""
    try:
        compte = trouver_par_identifiant(ctx, identifiant)
    except ValidationError:
        raise DomainError("Identifiant ou mot de passe incorrect.") from None
    if not securite.verifier(compte.mot_de_passe_hash, mot_de_passe):
        raise DomainError("Identifiant ou mot de passe incorrect.")
    if compte.etat != EtatCompte.ACTIF:
        raise DomainError("Ce compte n'est pas encore activé : saisissez le code d'activation.")
    return _vue(compte)
