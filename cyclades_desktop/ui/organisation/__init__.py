"""Organisation des examens: centres and rooms, timetable, assignments, clashes (issue 5)."""
