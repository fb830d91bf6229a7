"""Tab 7 - Récapitulatif: everything typed, read only, laid out as the portal's tab (N° candidat,
qualification, identity, address, candidature, acquis, épreuves by groupe)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from PySide6.QtWidgets import QTextBrowser

from ...rules import epreuves as moteur
from ...rules import inscriptions as regles
from ...rules.codes_epreuves import nom_epreuve
from ...rules.comptes import PAYS_FRANCE
from ...rules.temps import format_date
from .champs import STYLE_ATTENTION, paragraphe
from .commun import Assistant, PageOnglet
from .epreuves_widgets import position_affichee

ATTENTION = ("Attention : À ce stade, la candidature n'est pas encore enregistrée : poursuivez jusqu'au dernier "
             "onglet pour terminer l'inscription du candidat.")
CSS = """
h3 { color: #1f3a5f; font-size: 14px; margin-top: 14px; margin-bottom: 4px; }
h4 { color: #1f3a5f; font-size: 13px; margin-top: 8px; margin-bottom: 2px; }
td.cle { color: #555; padding-right: 8px; }
table.epreuves td { padding: 2px 6px; }
"""


def _oui_non(v: bool | None) -> str:
    return "-" if v is None else ("Oui" if v else "Non")


def _bloc(titre: str, lignes: Iterable[tuple[str, str]]) -> str:
    corps = "".join(f"<tr><td class='cle' width='38%'>{escape(k) + ' :' if k else ''}</td>"
                    f"<td>{escape(v or '-')}</td></tr>" for k, v in lignes)
    return f"<h3>{escape(titre)}</h3><table width='100%' cellspacing='0' cellpadding='1'>{corps}</table>"


def _table_epreuves(lignes: Sequence[moteur.LigneEpreuve]) -> str:
    if not lignes:
        return "<p>-</p>"
    rangs = []
    for i, x in enumerate(lignes):
        fond = "#f4f6f8" if i % 2 else "#ffffff"
        texte = nom_epreuve(x.code, x.intitule) + (f" - {x.detail}" if x.detail else "")
        retrait = "&nbsp;" * 5 * x.niveau
        gras = ("<b>", "</b>") if x.niveau == 0 else ("", "")
        rangs.append(f"<tr style='background-color:{fond}'><td>{retrait}{gras[0]}{escape(texte)}{gras[1]}</td>"
                     f"<td>{escape(position_affichee(x))}</td><td>{escape(x.mode or '')}</td></tr>")
    return ("<table class='epreuves' width='100%' cellspacing='0' cellpadding='2'>"
            "<tr style='background-color:#e3e8ee'><th align='left' width='58%'>Épreuve</th>"
            "<th align='left' width='14%'>Position</th><th align='left' width='28%'>Mode d'évaluation</th></tr>" + "".join(rangs) + "</table>")


def html_recapitulatif(a: Assistant, s: regles.SaisieCandidature,
                       r: moteur.Resultat | None) -> str:
    d, i, listes = a.demarrage, a.demarrage.identite, a.listes
    pays = {code: nom for nom, code in a.pays}
    nationalites = {code: nom for nom, code in a.nationalites}
    specialite = dict(listes.specialites).get(s.specialite_id, "")
    morceaux = [f"<style>{CSS}</style>",
                f"<p><b>N° candidat : {escape(i.numero_candidat)}</b>"
                + (f" &nbsp; – &nbsp; <b>N° inscription : {escape(d.numero_inscription)}</b>"
                   if d.numero_inscription else "") + "</p>"]
    morceaux.append(_bloc("Qualification présentée", [
        ("Spécialité", specialite),
        ("Enseignement(s)", regles.SECTIONS_LANGUE.get(s.section_langue, "") if s.section_langue != "AUCUNE"
         else "-")]))
    morceaux.append(_bloc("Identification du candidat", [
        ("Civilité", i.civilite), ("Nom de famille", i.nom), ("Nom d'usage", i.nom_usage),
        ("Prénoms", i.prenoms), ("Date de naissance", format_date(i.date_naissance)),
        ("Commune de naissance", i.commune_naissance),
        ("Département, DOM ou COM de naissance", i.departement_naissance),
        ("Pays de naissance", i.pays_naissance), ("Nationalité", nationalites.get(s.nationalite, ""))]))
    adresse = [x for x in (s.adresse_voie, s.adresse_complement1, s.adresse_complement2, s.adresse_complement3)
               if x.strip()]
    adresse.append(f"{s.code_postal} {s.localite.upper()}".strip())
    if s.adresse_pays and s.adresse_pays != PAYS_FRANCE:
        adresse.append(pays.get(s.adresse_pays, s.adresse_pays).upper())
    lignes_adresse = [("Adresse", adresse[0])] + [("", x) for x in adresse[1:]]
    morceaux.append(_bloc("Adresse et contact", [
        *lignes_adresse,
        ("Téléphone mobile", regles.telephone_affiche(s.telephone_mobile)),
        ("Téléphone fixe", regles.telephone_affiche(s.telephone_fixe)), ("Adresse mail", i.email)]))
    infos = [
        ("Catégorie du candidat", dict(listes.categories).get(s.categorie_code, "")),
        ("Situation à l'inscription", dict(listes.situations).get(s.situation_code, "")),
        ("Votre établissement", a.page_informations.etablissement.text() if s.etablissement_uai else ""),
        ("Classe", s.classe), ("Identifiant National (INE)", s.ine.upper()),
        ("Aménagement durée de formation", _oui_non(s.amenagement_duree)),
        ("Demande d'aménagement(s) d'épreuves au titre du handicap", _oui_non(s.handicap))]
    if s.condition_acces:
        infos.append(("Vous vous présentez au titre de", regles.CONDITIONS_ACCES.get(s.condition_acces, "")))
    infos += [
        ("Valorisation des acquis de l'expérience", "VAE" if any(x.code == "VAE" for x in s.acquis) else "Non VAE"),
        ("Forme de passage", regles.FORMES.get(s.forme_passage, "")),
        ("Dérogation forme de passage", _oui_non(s.derogation)),
        ("Forme de passage finale", regles.FORMES.get(s.forme_retenue, "")),
        ("Communication des résultats d'examen en vue d'une publication par la presse ou sur les sites internet "
         "de sociétés de droit privé", _oui_non(s.consentement_presse)),
        ("Communication des résultats, de mon nom et de mon adresse aux collectivités territoriales en vue "
         "d'éventuelles félicitations", _oui_non(s.consentement_collectivites))]
    morceaux.append(_bloc("Informations candidature", infos))
    morceaux.append(_acquis(a, s))
    morceaux.append("<h3>Épreuves</h3>")
    if r is None:
        morceaux.append("<p>-</p>")
    else:
        morceaux.append("<h4>Session normale 1er groupe</h4><p><i>Épreuve(s) obligatoire(s)</i></p>")
        morceaux.append(_table_epreuves(r.obligatoires(1)))
        if r.facultatives_lignes():
            morceaux.append("<p><i>Épreuve(s) facultative(s)</i></p>")
            morceaux.append(_table_epreuves(r.facultatives_lignes()))
        if r.obligatoires(2):
            morceaux.append("<h4>Session normale 2nd groupe</h4><p><i>Épreuve(s) obligatoire(s)</i></p>")
            morceaux.append(_table_epreuves(r.obligatoires(2)))
    return "".join(morceaux)


def _acquis(a: Assistant, s: regles.SaisieCandidature) -> str:
    titres = {code: (lib, depuis) for code, lib, depuis in a.listes.titres}
    situations = {code: lib for code, lib, _effet in a.listes.situations_acquis}
    lignes: list[tuple[str, str]] = []
    for x in s.acquis:
        lieu = " - ".join(p for p in (f"Année : {x.annee}" if x.annee else "",
                                      f"Académie : {x.academie}" if x.academie else "") if p)
        if x.code in titres:
            lib, depuis = titres[x.code]
            lignes.append(("Titulaire", f"{lib} (depuis {depuis})" if depuis else lib))
            lignes.append(("Type de droit", " - ".join(p for p in (
                "Épreuves dispensées dans la spécialité présentée", lieu) if p)))
        elif x.code == "VAE":
            lignes.append(("Validation des acquis de l'expérience",
                           " - ".join(p for p in ("Épreuves : " + (", ".join(x.dispenses) or "-"), lieu) if p)))
        else:
            notes = ", ".join(f"{k} : {v:g}/20".replace(".", ",") for k, v in sorted(x.notes.items()))
            lignes.append((situations.get(x.code, x.code), " - ".join(p for p in (lieu, f"Notes : {notes or '-'}")
                                                                       if p)))
    if not lignes:
        return "<h3>Acquis déclarés</h3><p>Aucun acquis déclaré.</p>"
    return _bloc("Acquis déclarés", lignes)


class PageRecapitulatif(PageOnglet):
    def __init__(self, assistant: Assistant) -> None:
        super().__init__(assistant, regles.RECAPITULATIF, defilement=False)
        self.attention = paragraphe(ATTENTION, STYLE_ATTENTION, nom="Attention")
        self.corps.addWidget(self.attention)
        self.navigateur = QTextBrowser()
        self.navigateur.setAccessibleName("Récapitulatif")
        self.navigateur.setOpenLinks(False)
        self.corps.addWidget(self.navigateur, 1)

    def actualiser(self) -> None:
        a = self.assistant
        if a.consultation or a.enregistrement is not None:
            self.attention.setText("Candidature enregistrée" + (
                f" : inscription n° {a.demarrage.numero_inscription}, version {a.demarrage.version}."
                if a.demarrage.numero_inscription else ".")
                + (" Cliquez sur « Modifier » pour la modifier." if a.consultation else ""))
        s = a.saisie_courante()
        position = self.navigateur.verticalScrollBar().value()
        self.navigateur.setHtml(html_recapitulatif(a, s, a.calculer(s)))
        self.navigateur.verticalScrollBar().setValue(position)
