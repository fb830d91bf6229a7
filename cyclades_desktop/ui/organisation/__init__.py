"""Organisation des examens: centres and rooms, timetable, assignments, clashes
(docs/domaine/organisation.md)."""
