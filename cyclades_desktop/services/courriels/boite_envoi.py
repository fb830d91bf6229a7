"""Messages by e-mail (docs/domaine/courriels.md): every message recorded for a candidate also enters
an outbox, in the same transaction; a sender hands due messages to the office's SMTP server, one per
transaction, with retries and backoff; the chef de bureau sets the server up.

Why one function (``nouveau_message``) rather than a ``before_flush`` listener: every place that writes
to a candidate already goes through it, the outbox row is visible where the message is made, and a
listener would also catch rows we do not mean to send (imports of old messages, test data) and would
need the clock from somewhere global."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ...models import EnvoiCourriel, Message
from ...rules.courriels import (
    LIBELLES_ENVOI,
    MAX_TENTATIVES,
    EtatEnvoi,
    ParametresSmtp,
    SaisieSmtp,
    SituationEnvoi,
    delai_apres,
    valider_smtp,
)
from ...rules.errors import DomainError, NotFound
from ...rules.temps import format_date_heure
from ..noyau import Contexte, P, audit, charger_ou_erreur, exiger, parametres
from . import secret as courriels_secret
from .smtp import Connexion, Courriel, EchecEnvoi, tester

CLE_PARAMETRE = "smtp"
# A claimed message is not due again before this: another workstation will not pick it up while we
# talk to the server, and if this one crashes mid-send it is tried again afterwards.
RESERVATION = timedelta(minutes=10)

# --- recording ---------------------------------------------------------------------------------

def nouveau_message(s: Session, ctx: Contexte, compte_id: int, candidature_id: int | None, objet: str,
                    corps: str, destinataire: str) -> Message:
    """Record a message for a candidate and queue its e-mail, in the caller's transaction."""
    now = ctx.clock.now()
    m = Message(compte_id=compte_id, candidature_id=candidature_id, objet=objet, corps=corps,
                destinataire=destinataire, cree_le=now)
    s.add(m)
    s.flush()   # the outbox row needs the message's id
    s.add(EnvoiCourriel(message_id=m.id, etat=EtatEnvoi.A_ENVOYER, tentatives=0, prochain_essai=now, cree_le=now))
    return m


# --- settings ----------------------------------------------------------------------------------

@dataclass
class EtatParametres:
    parametres: ParametresSmtp
    mot_de_passe_enregistre: bool
    mot_de_passe_environnement: bool


def lire_parametres(ctx: Contexte) -> ParametresSmtp:
    return ParametresSmtp.depuis_dict(parametres.lire_hors_transaction(ctx, CLE_PARAMETRE))


def etat_parametres(ctx: Contexte) -> EtatParametres:
    exiger(ctx, P.MESSAGERIE_PARAMETRER)
    p = lire_parametres(ctx)
    return EtatParametres(p, bool(courriels_secret.mot_de_passe(p.identifiant, p.hote)),
                          courriels_secret.depuis_environnement())


def enregistrer_parametres(ctx: Contexte, saisie: SaisieSmtp) -> ParametresSmtp:
    """Save the settings (audited, without the password); the password goes to this workstation's file."""
    exiger(ctx, P.MESSAGERIE_PARAMETRER)
    nouveau = valider_smtp(saisie)
    with ctx.transaction() as s:
        avant = parametres.lire(s, CLE_PARAMETRE)
        apres = nouveau.en_dict()
        change_mdp = bool(saisie.mot_de_passe) or saisie.oublier_mot_de_passe
        # The password is written first: if the file cannot be written, nothing is saved at all.
        if change_mdp and nouveau.identifiant:
            try:
                courriels_secret.enregistrer(nouveau.identifiant, nouveau.hote,
                                             None if saisie.oublier_mot_de_passe else saisie.mot_de_passe)
            except OSError as exc:
                raise DomainError("Le mot de passe n'a pas pu être enregistré sur ce poste "
                                  f"({exc.strerror or exc}) : rien n'a été modifié.") from exc
        parametres.ecrire(s, ctx, CLE_PARAMETRE, apres)
        av, ap = audit.difference(avant, apres)
        if change_mdp:
            ap["mot_de_passe"] = "effacé sur ce poste" if saisie.oublier_mot_de_passe else "modifié sur ce poste"
        audit.enregistrer(s, ctx, "modification", "parametre", CLE_PARAMETRE,
                          libelle="Paramètres de messagerie", avant=av, apres=ap)
    return nouveau


def tester_connexion(ctx: Contexte, saisie: SaisieSmtp) -> str:
    """Connect with the values typed (not yet saved): the French outcome or a DomainError."""
    exiger(ctx, P.MESSAGERIE_PARAMETRER)
    p = valider_smtp(saisie)
    mdp = saisie.mot_de_passe or courriels_secret.mot_de_passe(p.identifiant, p.hote)
    try:
        return tester(p, mdp)
    except EchecEnvoi as exc:
        raise DomainError(f"Échec de la connexion : {exc.raison}.") from exc


# --- sending -----------------------------------------------------------------------------------

@dataclass
class RapportEnvoi:
    envoyes: int = 0
    reportes: int = 0             # temporary failure: tried again later
    echecs: int = 0               # given up this run
    non_configure: bool = False
    interruption: str | None = None   # the server or settings failed: the rest waits
    erreurs: list[str] = field(default_factory=list)

    @property
    def texte(self) -> str:
        if self.non_configure:
            return ("La messagerie n'est pas paramétrée : les messages attendent dans la boîte d'envoi "
                    "(menu Paramètres, « Paramètres de messagerie… »).")
        parties = [f"{self.envoyes} message{'s' if self.envoyes > 1 else ''} envoyé"
                   f"{'s' if self.envoyes > 1 else ''}"]
        if self.reportes:
            parties.append(f"{self.reportes} reporté{'s' if self.reportes > 1 else ''}")
        if self.echecs:
            parties.append(f"{self.echecs} en échec")
        t = ", ".join(parties) + "."
        if self.interruption:
            t += f" Envoi interrompu : {self.interruption}. Les messages restants attendent le prochain essai."
        return t


def _reserver(ctx: Contexte, envoi_id: int, row_version: int) -> Courriel | None:
    """Claim one due row (one transaction); None when another workstation took it or it changed."""
    now = ctx.clock.now()
    with ctx.transaction() as s:
        r = s.execute(
            update(EnvoiCourriel)
            .where(EnvoiCourriel.id == envoi_id, EnvoiCourriel.etat == EtatEnvoi.A_ENVOYER,
                   EnvoiCourriel.row_version == row_version, EnvoiCourriel.prochain_essai <= now)
            .values(row_version=EnvoiCourriel.row_version + 1, prochain_essai=now + RESERVATION)
            .execution_options(synchronize_session=False))
        if r.rowcount != 1:
            return None
        m = s.scalar(select(Message).join(EnvoiCourriel, EnvoiCourriel.message_id == Message.id)
                     .where(EnvoiCourriel.id == envoi_id))
        if m is None:
            return None
        return Courriel(m.id, m.destinataire, m.objet, m.corps, m.cree_le)


def _noter(ctx: Contexte, envoi_id: int, echec: EchecEnvoi | None) -> str:
    """Record the outcome of one send (one transaction); returns the new état."""
    now = ctx.clock.now()
    with ctx.transaction() as s:
        e = s.get(EnvoiCourriel, envoi_id)
        if e is None:          # the account was deleted meanwhile (RGPD purge): nothing to record
            return "supprime"
        e.tentatives += 1
        if echec is None:
            e.etat, e.envoye_le, e.derniere_erreur = EtatEnvoi.ENVOYE, now, None
        elif not echec.temporaire or e.tentatives >= MAX_TENTATIVES:
            e.etat = EtatEnvoi.ECHEC
            e.derniere_erreur = echec.raison if not echec.temporaire else (
                f"{echec.raison} (abandon après {e.tentatives} tentatives)")
        else:
            e.derniere_erreur = echec.raison
            e.prochain_essai = now + delai_apres(e.tentatives)
        return e.etat


def envoyer_en_attente(ctx: Contexte, *, limite: int = 100) -> RapportEnvoi:
    """Send the messages that are due, oldest first. Safe to run from several workstations at once."""
    exiger(ctx, P.COURRIELS_GERER)
    rapport = RapportEnvoi()
    p = lire_parametres(ctx)
    if not p.configure:
        rapport.non_configure = True
        return rapport
    with ctx.lecture() as s:
        dus = list(s.execute(
            select(EnvoiCourriel.id, EnvoiCourriel.row_version)
            .where(EnvoiCourriel.etat == EtatEnvoi.A_ENVOYER, EnvoiCourriel.prochain_essai <= ctx.clock.now())
            .order_by(EnvoiCourriel.prochain_essai, EnvoiCourriel.id).limit(limite)))
    if not dus:
        return rapport
    cx = Connexion(p, courriels_secret.mot_de_passe(p.identifiant, p.hote))
    try:
        for envoi_id, version in dus:
            courriel = _reserver(ctx, envoi_id, version)
            if courriel is None:
                continue
            try:
                cx.envoyer(courriel)
            except EchecEnvoi as exc:
                etat = _noter(ctx, envoi_id, exc)
                if etat == EtatEnvoi.ECHEC:
                    rapport.echecs += 1
                    rapport.erreurs.append(f"{courriel.destinataire} : {exc.raison}")
                elif etat == EtatEnvoi.A_ENVOYER:
                    rapport.reportes += 1
                if exc.serveur:      # every other message would fail the same way: they wait
                    rapport.interruption = exc.raison
                    break
            else:
                # Delivered: even if recording it failed now (database busy), the next run would only
                # resend this one message after the reservation; the Message-ID lets mail systems dedupe.
                _noter(ctx, envoi_id, None)
                rapport.envoyes += 1
    finally:
        cx.fermer()
    return rapport


def envoyer_automatiquement(ctx: Contexte) -> RapportEnvoi | None:
    """The workstation's periodic task: sends only when the chef turned automatic sending on."""
    exiger(ctx, P.COURRIELS_GERER)
    p = lire_parametres(ctx)
    if not p.envoi_automatique:
        return None
    return envoyer_en_attente(ctx)


def renvoyer(ctx: Contexte, envoi_ids: list[int]) -> int:
    """Put failed (or waiting) messages back in the queue, due now, with a fresh count. Audited."""
    exiger(ctx, P.COURRIELS_GERER)
    n = 0
    now = ctx.clock.now()
    with ctx.transaction() as s:
        for e in s.scalars(select(EnvoiCourriel).where(EnvoiCourriel.id.in_(envoi_ids))):
            if e.etat == EtatEnvoi.ENVOYE:
                continue
            avant = {"etat": e.etat, "tentatives": e.tentatives, "derniere_erreur": e.derniere_erreur}
            e.etat, e.prochain_essai, e.tentatives = EtatEnvoi.A_ENVOYER, now, 0
            audit.enregistrer(s, ctx, "renvoi", "envoi_courriel", e.id, libelle=f"Message n° {e.message_id} "
                              "remis dans la boîte d'envoi", avant=avant,
                              apres={"etat": EtatEnvoi.A_ENVOYER, "tentatives": 0})
            n += 1
    return n


# --- reading -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LigneEnvoi:
    envoi_id: int
    message_id: int
    cree_le: datetime
    destinataire: str
    objet: str
    etat: str
    tentatives: int
    prochain_essai: datetime | None
    derniere_erreur: str | None
    envoye_le: datetime | None

    @property
    def libelle_etat(self) -> str:
        return LIBELLES_ENVOI.get(self.etat, self.etat)

    @property
    def texte_etat(self) -> str:
        """« Envoyé par mail le 10/11/2024 11:02 (heure de Paris) », « Échec de l'envoi par mail : … »…"""
        if self.etat == EtatEnvoi.ENVOYE:
            return f"Envoyé par mail le {format_date_heure(self.envoye_le)} (heure de Paris)"
        if self.etat == EtatEnvoi.ECHEC:
            return f"Échec de l'envoi par mail : {self.derniere_erreur or 'raison inconnue'}"
        t = f"À envoyer par mail (prochain essai le {format_date_heure(self.prochain_essai)}, heure de Paris)"
        return t + (f" ; dernière erreur : {self.derniere_erreur}" if self.derniere_erreur else "")


def _ligne(e: EnvoiCourriel, m: Message) -> LigneEnvoi:
    return LigneEnvoi(e.id, m.id, m.cree_le, m.destinataire, m.objet, e.etat, e.tentatives,
                      e.prochain_essai if e.etat == EtatEnvoi.A_ENVOYER else None, e.derniere_erreur, e.envoye_le)


def lister(ctx: Contexte, etat: str | None = None, *, avant_id: int | None = None,
           limite: int = 200) -> list[LigneEnvoi]:
    """Newest first, keyset-paged on the outbox id."""
    exiger(ctx, P.COURRIELS_GERER)
    q = (select(EnvoiCourriel, Message).join(Message, Message.id == EnvoiCourriel.message_id)
         .order_by(EnvoiCourriel.id.desc()).limit(limite))
    if etat:
        q = q.where(EnvoiCourriel.etat == etat)
    if avant_id is not None:
        q = q.where(EnvoiCourriel.id < avant_id)
    with ctx.lecture() as s:
        return [_ligne(e, m) for e, m in s.execute(q)]


def compteurs(ctx: Contexte) -> dict[str, int]:
    exiger(ctx, P.COURRIELS_GERER)
    with ctx.lecture() as s:
        rows = s.execute(select(EnvoiCourriel.etat, func.count()).group_by(EnvoiCourriel.etat))
        return {etat: int(n) for etat, n in rows}


def envois_du_compte(ctx: Contexte, compte_id: int) -> dict[int, LigneEnvoi]:
    """Per message id of this account: its e-mail state (messages older than the outbox have none)."""
    exiger(ctx, P.COMPTES_LIRE)
    q = (select(EnvoiCourriel, Message).join(Message, Message.id == EnvoiCourriel.message_id)
         .where(Message.compte_id == compte_id))
    with ctx.lecture() as s:
        return {m.id: _ligne(e, m) for e, m in s.execute(q)}


def situation_message(ctx: Contexte, message_id: int) -> SituationEnvoi:
    """Whether this message really left, waits in the outbox (and for what) or cannot leave: the counter
    says so rather than « sent » (an account's activation code, a reset)."""
    exiger(ctx, P.COMPTES_LIRE)
    with ctx.lecture() as s:
        etat = s.scalar(select(EnvoiCourriel.etat).where(EnvoiCourriel.message_id == message_id))
    if etat == EtatEnvoi.ENVOYE:
        return SituationEnvoi.ENVOYE
    if etat == EtatEnvoi.ECHEC:
        return SituationEnvoi.ECHEC
    p = lire_parametres(ctx)
    if not p.configure:
        return SituationEnvoi.NON_CONFIGURE
    return SituationEnvoi.AUTOMATIQUE if p.envoi_automatique else SituationEnvoi.EN_ATTENTE


def envoi(ctx: Contexte, envoi_id: int) -> LigneEnvoi:
    exiger(ctx, P.COURRIELS_GERER)
    with ctx.lecture() as s:
        row = s.execute(select(EnvoiCourriel, Message).join(Message, Message.id == EnvoiCourriel.message_id)
                        .where(EnvoiCourriel.id == envoi_id)).first()
        if row is None:
            raise NotFound("Ce message n'est plus dans la boîte d'envoi.")
        return _ligne(*row)


def corps(ctx: Contexte, message_id: int) -> str:
    exiger(ctx, P.COURRIELS_GERER)
    with ctx.lecture() as s:
        m = charger_ou_erreur(s, Message, message_id, "Ce message n'existe plus.")
        return m.corps
