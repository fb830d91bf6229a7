from __future__ import annotations

from cyclades_desktop import cli


def test_cli_verifie_et_purge(db_url: str, capsys):
    assert cli.main(["--database-url", db_url, "verifier"]) == 0
    assert "Intégrité : correcte." in capsys.readouterr().out
    assert cli.main(["--database-url", db_url, "purger-comptes"]) == 0
    assert "0 compte(s) supprimé(s)." in capsys.readouterr().out
