import sys

if sys.argv[1:2] == ["--verifier-fichier"]:
    # The frozen build checks each deposited file by starting itself again with this argument
    # (storage/verification_fichier.py): a small interpreter, without the application loaded.
    from cyclades_desktop.storage.verification_fichier import principal

    raise SystemExit(principal(sys.argv[2:]))

# Absolute: the frozen build runs this file as a plain script, outside its package.
from cyclades_desktop.app import main  # noqa: E402

raise SystemExit(main())
