"""« Notification de mesures d'aménagements » (docs/domaine/organisation.md#amenagements): the office's
decision on the candidate's request for adapted exam conditions (handicap), the measures granted and
the extra time, as published in « Mes documents ». Same header as the convocation."""

from __future__ import annotations

from ..rules.temps import format_date
from . import pdf
from .convocation import libelle_majoration
from .donnees_convocation import DonneesNotification
from .page_directe import Redaction, couper, en_octets, entete, pied
from .pdf import MARGE, POLICE, POLICE_GRAS, typo

TITRE = "Notification de mesures d'aménagements"
OBJET = "Objet : aménagement des conditions de passation des épreuves"
TEXTE_CONVOCATION = "Ces mesures figureront sur votre convocation aux épreuves."
TEXTE_ATTENTE = ("Votre demande est en cours d'examen : la décision vous sera notifiée dès qu'elle aura été "
                 "prise.")
TEXTE_RECOURS = ("Cette décision peut faire l'objet d'un recours gracieux auprès du recteur d'académie ou d'un "
                 "recours contentieux devant le tribunal administratif dans un délai de deux mois à compter de "
                 "sa notification.")
SIGNATURE = "Pour le recteur et par délégation, le chef de la division des examens et concours"


def rendre_notification(d: DonneesNotification, *, compression: bool = pdf.COMPRESSION) -> bytes:
    def dessiner(canvas: object) -> None:
        r = Redaction(canvas, pied=pied(d.numero_candidat, d.numero_inscription, d.version))  # type: ignore[arg-type]
        entete(r, titre=TITRE, domaine=d.domaine, precisions=(d.specialite,), version=d.version,
               version_le=d.version_le, numero_candidat=d.numero_candidat,
               numero_inscription=d.numero_inscription, session=d.session, bureau=d.bureau,
               identite=f"{d.civilite} {d.nom} {d.prenoms}".strip(), adresse=d.adresse)
        r.ligne(((typo(OBJET), POLICE_GRAS),))
        r.y -= 6
        r.paragraphe(f"Vous avez demandé un aménagement des conditions de passation des épreuves de l'examen "
                     f"{d.domaine} {d.specialite}, session {d.session}, au titre du handicap.")
        r.y -= 4
        r.intertitre("DÉCISION")
        quand = f" le {format_date(d.decide_le)}" if d.decide_le is not None else ""
        r.ligne((("Décision : ", POLICE_GRAS), (d.statut_libelle, POLICE_GRAS), (quand, POLICE)))
        if d.statut == "demande":
            r.y -= 4
            r.paragraphe(TEXTE_ATTENTE)
        if d.mesures:
            r.intertitre("MESURES ACCORDÉES", 12 * min(3, len(d.mesures)))
            for mesure in d.mesures:
                lignes = couper(typo(mesure), pdf.LARGEUR_UTILE - 12)
                r.place(11.5 * len(lignes))
                r.texte(MARGE + 2, r.y - 9, "•", 9)
                for morceau in lignes:
                    r.ligne(((morceau, POLICE),), x=MARGE + 12)
        if d.majoration_temps:
            r.y -= 4
            r.ligne((("Majoration du temps de composition : ", POLICE_GRAS),
                     (f"{d.majoration_temps} % ({libelle_majoration(d.majoration_temps)})", POLICE)))
        if d.motif:
            r.y -= 4
            r.paragraphe(d.motif, prefixe=("Motif : ", POLICE_GRAS))
        if d.statut in ("accorde", "partiel"):
            r.y -= 6
            r.paragraphe(TEXTE_CONVOCATION)
        r.y -= 6
        r.paragraphe(TEXTE_RECOURS, 8.5, 10.5, couleur=pdf.GRIS_TEXTE)
        r.y -= 16
        r.place(40)
        r.paragraphe(SIGNATURE, x=MARGE + 230, largeur_max=pdf.LARGEUR_UTILE - 230)
        if d.decide_par:
            r.ligne(d.decide_par, x=MARGE + 230)
        r.terminer()

    return en_octets(dessiner, titre=f"{TITRE} N° {d.numero_candidat}",
                     auteur=d.bureau.academie or (d.bureau.lignes[0] if d.bureau.lignes else ""),
                     sujet=f"{d.domaine.upper()} – session {d.session} – inscription n° {d.numero_inscription}",
                     compression=compression)
