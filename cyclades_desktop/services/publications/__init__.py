"""Documents published for a candidature (each type versioned, the PDF kept with its version) and the
messages that announce them: what registration, pièces, convocations, aménagements and printing share.

The names other layers and areas use; the modules behind them are the area's own."""

from .documents import CIVILITES, DocumentPublie, VersionPubliee, en_tete_bureau, nom_fichier, publier
from .messages import examen_de, message_candidat

__all__ = [
    "CIVILITES",
    "DocumentPublie",
    "VersionPubliee",
    "en_tete_bureau",
    "examen_de",
    "message_candidat",
    "nom_fichier",
    "publier",
]
