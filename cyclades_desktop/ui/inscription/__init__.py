"""The registration form: a wizard with the nine tabs of the CYCLADES portal
(docs/domaine/inscriptions.md#formulaire)."""
