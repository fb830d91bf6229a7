"""Engine and sessions, migrations, file store, backups."""
