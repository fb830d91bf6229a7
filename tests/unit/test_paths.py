from __future__ import annotations

from cyclades_desktop import paths


def test_base_par_defaut_dans_le_dossier_de_donnees(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.ENV_DATABASE_URL, raising=False)
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path))
    assert paths.default_database_url() == f"sqlite:///{tmp_path / 'cyclades.sqlite'}"


def test_variable_d_environnement_pour_une_autre_base(monkeypatch):
    monkeypatch.setenv(paths.ENV_DATABASE_URL, "postgresql+psycopg://dec@serveur/cyclades")
    assert paths.default_database_url() == "postgresql+psycopg://dec@serveur/cyclades"


def test_ressources_livrees_avec_le_programme():
    assert (paths.resources_dir() / "referentiel" / "specialites.json").exists()
    assert (paths.resources_dir() / "geo" / "communes.csv").exists()
