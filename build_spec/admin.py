"""Entry script of the frozen cyclades-desktop-admin (cyclades-desktop.spec). PyInstaller runs it as a
plain script, outside any package: hence absolute imports, where cli.py has relative ones."""

import sys

if sys.argv[1:2] == ["--verifier-fichier"]:
    # Any command that checks a deposited file starts its own executable again with this argument
    # (storage/verification_fichier.py): here too it must become the small checker, not the CLI.
    from cyclades_desktop.storage.verification_fichier import principal

    raise SystemExit(principal(sys.argv[2:]))

from cyclades_desktop.cli import main  # noqa: E402

raise SystemExit(main())
