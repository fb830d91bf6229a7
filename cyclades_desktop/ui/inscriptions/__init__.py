"""The candidate's registrations at the counter (docs/domaine/inscriptions.md): new candidature,
« Mes inscriptions » cards, « Mes documents » and the désinscription."""
