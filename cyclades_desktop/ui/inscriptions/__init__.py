"""The candidate's registrations at the counter (seed 004 §3, §4.3, §4.4, §4.7): new candidature,
« Mes inscriptions » cards, « Mes documents » and the désinscription."""
