"""Pure business rules: no database, no Qt, no I/O.

One module per area of ``services/`` (comptes, inscriptions, pieces for the justificatifs, organisation,
courriels, impressions, personnel, referentiel, rgpd, sauvegardes…): its state vocabularies as StrEnums
whose values are the strings stored in the database, with their French labels, and its checks on plain
values. Shared helpers: ``temps``, ``texte``, ``errors``."""
