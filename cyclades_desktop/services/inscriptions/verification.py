"""Checks of a candidature against the référentiel, and the épreuves engine fed from the database.

Shared by the wizard (tab by tab, before Suivant) and by Enregistrer (everything again, inside the
transaction), so that what the screen accepted is exactly what the save accepts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import (
    Bureau,
    Categorie,
    Epreuve,
    Etablissement,
    Pays,
    Regle,
    Situation,
    Specialite,
    TypeAcquis,
)
from ...rules import epreuves as moteur
from ...rules import inscriptions as regles
from ...rules.comptes import PAYS_FRANCE


def _regle(s: Session, regle_id: str) -> dict[str, object]:
    r = s.get(Regle, regle_id)
    return dict(r.parametres) if r else {}


def mode_categorie(categorie: Categorie, domaine: str) -> str:
    return (categorie.modes_par_domaine or {}).get(domaine) or categorie.mode


def profil(s: Session, domaine: str, categorie: Categorie, session_annee: int, forme_finale: str) -> moteur.Profil:
    toujours = _regle(s, f"{domaine}-CATEGORIES-MODES").get("toujours_ponctuel_sauf_ccf_integral") or ()
    max_fac = _regle(s, f"{domaine}-FACULTATIVES").get("max_facultatives")
    if max_fac is None:
        max_fac = _regle(s, f"{domaine}-UNITES-GENERALES").get("max_facultatives")
    benefice = _regle(s, f"{domaine}-BENEFICE-NOTES") or _regle(s, "MC-CS-ADMISSION")
    duree = benefice.get("duree_ans") or benefice.get("benefice_duree_ans") or 5
    note_min = benefice.get("note_min") or benefice.get("benefice_note_min") or 10
    return moteur.Profil(domaine=domaine, famille=categorie.famille, mode=mode_categorie(categorie, domaine),
                         session_annee=session_annee, forme_finale=forme_finale,
                         toujours_ponctuel=tuple(toujours),  # type: ignore[arg-type]
                         max_facultatives=int(max_fac) if max_fac is not None else None,  # type: ignore[call-overload]
                         duree_benefice_ans=int(duree), note_min_benefice=float(note_min))  # type: ignore[call-overload, arg-type]


def arbre(s: Session, specialite_id: str) -> tuple[moteur.NoeudEpreuve, ...]:
    rows = list(s.scalars(select(Epreuve).where(Epreuve.specialite_id == specialite_id).order_by(Epreuve.ordre)))
    enfants: dict[int | None, list[Epreuve]] = {}
    for r in rows:
        enfants.setdefault(r.parent_id, []).append(r)

    def noeud(r: Epreuve) -> moteur.NoeudEpreuve:
        extra = r.extra or {}
        return moteur.NoeudEpreuve(
            code=r.code, intitule=r.intitule, unite=r.unite, nature=r.nature, groupe=r.groupe,
            domaine_epreuve=r.domaine_epreuve,
            categories_concernees=tuple(extra.get("categories_concernees") or ()),
            choix_exclusif=bool(extra.get("choix_exclusif")), modes=dict(extra.get("modes") or {}),
            enfants=tuple(noeud(e) for e in enfants.get(r.id, [])))

    return tuple(noeud(r) for r in enfants.get(None, []))


def acquis_resolus(s: Session, specialite_id: str, saisies: list[regles.SaisieAcquis]
                   ) -> tuple[list[moteur.Acquis], dict[str, str]]:
    out: list[moteur.Acquis] = []
    erreurs: dict[str, str] = {}
    for i, a in enumerate(saisies):
        t = s.get(TypeAcquis, a.code)
        if t is None:
            erreurs[f"acquis.{i}.code"] = "Ce type d'acquis n'existe pas dans le référentiel."
            out.append(moteur.Acquis(a.code, a.code, "dispense"))
            continue
        extra = t.extra or {}
        if t.genre == "titre":
            if a.annee is None:
                erreurs[f"acquis.{i}.annee"] = "Indiquez l'année d'obtention."
            if not a.academie.strip():
                erreurs[f"acquis.{i}.academie"] = "Indiquez l'académie."
            dispenses = moteur.dispenses_du_titre({**extra, "dispenses": t.dispenses}, specialite_id)
            out.append(moteur.Acquis(t.code, t.libelle, "dispense", a.annee, a.academie.strip() or None,
                                     dispenses, depuis=t.depuis))
        elif extra.get("effet") == "benefice":
            if not a.notes:
                erreurs[f"acquis.{i}.notes"] = "Indiquez au moins une note égale ou supérieure à 10/20 à conserver."
            out.append(moteur.Acquis(t.code, t.libelle, "benefice", a.annee, a.academie.strip() or None,
                                     notes=dict(a.notes), general_seulement=t.code == "AUTRE_SPECIALITE"))
        else:   # VAE: the units of the jury's decision
            out.append(moteur.Acquis(t.code, t.libelle, "dispense", a.annee, a.academie.strip() or None,
                                     tuple(a.dispenses)))
    return out, erreurs


@dataclass(frozen=True)
class Verification:
    erreurs: dict[str, str]
    epreuves: moteur.Resultat | None


def verifier(s: Session, domaine: str, session_annee: int, saisie: regles.SaisieCandidature,
             jusqu_a: int = regles.CONDITIONS) -> Verification:
    """Every check of tabs 1..jusqu_a (included), and the épreuves when the spécialité is known."""
    # A refused character stops here, before its value is looked up (PostgreSQL refuses a NUL).
    if interdits := {k: m for k, m in regles.caracteres_interdits(saisie).items()
                     if regles.onglet_du_champ(k) <= jusqu_a}:
        return Verification(interdits, None)
    e: dict[str, str] = {}
    if jusqu_a >= regles.MODALITES and not saisie.modalites_acceptees:
        e["modalites_acceptees"] = "Vous devez accepter les modalités d'inscription pour continuer."
    if jusqu_a >= regles.IDENTIFICATION:
        e.update(regles.verifier_identification(saisie))
        if saisie.adresse_pays and s.get(Pays, saisie.adresse_pays) is None:
            e["adresse_pays"] = "Pays inconnu."
        if saisie.nationalite and s.get(Pays, saisie.nationalite) is None:
            e["nationalite"] = "Sélectionnez une nationalité."
    categorie: Categorie | None = None
    if jusqu_a >= regles.INFORMATIONS:
        e.update(regles.verifier_informations(saisie))
        categorie = s.get(Categorie, saisie.categorie_code) if saisie.categorie_code else None
        if saisie.categorie_code and (categorie is None or domaine not in (categorie.domaines or [])):
            e["categorie_code"] = "Cette catégorie de candidat n'est pas proposée pour cet examen."
            categorie = None
        if saisie.situation_code and s.get(Situation, saisie.situation_code) is None:
            e["situation_code"] = "Situation inconnue."
        if saisie.etablissement_uai and s.get(Etablissement, saisie.etablissement_uai) is None:
            e["etablissement_uai"] = "Établissement inconnu : recherchez-le par son nom, son code UAI ou sa ville."
        if categorie is not None and categorie.individuel and domaine == "BCP":
            _eligibilite_bcp_individuel(s, saisie, e)
    specialite: Specialite | None = None
    if jusqu_a >= regles.QUALIFICATION:
        e.update(regles.verifier_qualification(saisie))
        specialite = s.get(Specialite, saisie.specialite_id) if saisie.specialite_id else None
        if saisie.specialite_id and (specialite is None or specialite.domaine_code != domaine):
            e["specialite_id"] = "Cette spécialité n'appartient pas à l'examen choisi."
            specialite = None
        elif specialite is not None and not specialite.actif:
            e["specialite_id"] = "Cette spécialité n'est plus proposée à l'inscription."
        if categorie is not None and not saisie.derogation:
            globale = _regle(s, f"{domaine}-FORME-PASSAGE").get("globale_obligatoire") or ()
            if categorie.famille in globale and saisie.forme_passage != "globale":  # type: ignore[operator]
                e["forme_passage"] = ("Les candidats scolaires et apprentis passent l'examen en forme globale, "
                                      "sauf dérogation.")
    resultat: moteur.Resultat | None = None
    if jusqu_a >= regles.ACQUIS and specialite is not None and categorie is not None:
        acquis, err_acquis = acquis_resolus(s, specialite.id, saisie.acquis)
        e.update(err_acquis)
        resultat = moteur.calculer(arbre(s, specialite.id),
                                   profil(s, domaine, categorie, session_annee, saisie.forme_retenue),
                                   acquis, saisie.choix)
        for cle, msg in resultat.erreurs.items():
            if cle.startswith("acquis") or jusqu_a >= regles.EPREUVES:
                e.setdefault(cle, msg)
    if jusqu_a >= regles.CONDITIONS and not saisie.conditions_acceptees:
        e["conditions_acceptees"] = "Cochez la case pour accepter les conditions d'inscription."
    return Verification(e, resultat)


def _eligibilite_bcp_individuel(s: Session, saisie: regles.SaisieCandidature, e: dict[str, str]) -> None:
    """Resident in the académie, and a complete preparation or 3 years of experience
    (docs/domaine/inscriptions.md#eligibilite)."""
    if saisie.condition_acces not in regles.CONDITIONS_ACCES:
        e["condition_acces"] = "Indiquez à quel titre vous vous présentez (préparation ou expérience)."
    bureau = s.get(Bureau, 1)
    deps = list(bureau.departements or []) if bureau else []
    if deps and saisie.adresse_pays == PAYS_FRANCE and saisie.code_postal:
        if regles.departement_du_code_postal(saisie.code_postal) not in deps:
            e["categorie_code"] = (
                "Un candidat individuel au baccalauréat professionnel doit résider dans l'académie "
                f"(départements {', '.join(deps)}) : vérifiez l'adresse ou la catégorie.")
