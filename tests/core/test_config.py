import pytest

from core import config, create_app


def test_environment_names_are_read(tmp_path):
    settings = config.load(
        tmp_path,
        {
            "DATABASE_URL": "sqlite:///x.sqlite",
            "SMTP_URL": "smtp://mail.example:2525",
            "UPLOAD_MAX_MB": "3",
            "PORT": "8123",
            "SECRET_KEY": "k" * 40,
        },
    )
    assert settings["DATABASE_URL"] == "sqlite:///x.sqlite"
    assert settings["SMTP_URL"] == "smtp://mail.example:2525"
    assert settings["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    assert settings["PORT"] == 8123
    assert settings["SECRET_KEY"] == "k" * 40


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    assert config.load(tmp_path, {})["DATABASE_URL"] == f"sqlite:///{tmp_path}/cyberready.sqlite"


def test_outbox_settings(tmp_path):
    defaults = config.load(tmp_path, {})
    assert defaults["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    assert defaults["OUTBOX_MAX_ATTEMPTS"] == 6
    settings = config.load(
        tmp_path,
        {"PUBLIC_BASE_URL": "https://cyberready.gov.example/", "OUTBOX_RETRY_SECONDS": "30"},
    )
    assert settings["PUBLIC_BASE_URL"] == "https://cyberready.gov.example"  # no double slash
    assert settings["OUTBOX_RETRY_SECONDS"] == 30


def test_a_number_that_is_not_a_number_is_named(tmp_path):
    with pytest.raises(config.ConfigError, match="UPLOAD_MAX_MB must be a whole number"):
        config.load(tmp_path, {"UPLOAD_MAX_MB": "lots"})


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(config.ConfigError, match="APP_ENV must be one of"):
        config.load(tmp_path, {"APP_ENV": "prod"})


@pytest.mark.parametrize("key", [None, config.DEV_SECRET_KEY, "short"])
def test_production_refuses_the_development_secret_key(key):
    environ = {"APP_ENV": "production", "DATABASE_URL": "sqlite://"}
    if key:
        environ["SECRET_KEY"] = key
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        create_app(environ=environ)


def test_production_refuses_a_folder_for_email():
    environ = {"APP_ENV": "production", "SECRET_KEY": "x" * 48, "DATABASE_URL": "sqlite://"}
    with pytest.raises(config.ConfigError, match="SMTP_URL is a folder"):
        create_app(environ=environ | {"SMTP_URL": "file:///tmp/mail"})


def test_production_with_a_real_key_starts_with_secure_cookies():
    app = create_app(
        environ={"APP_ENV": "production", "SECRET_KEY": "x" * 48, "DATABASE_URL": "sqlite://"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_wsgi_refuses_to_start_in_production_with_the_dev_key(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env={"APP_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Refusing to start in production: SECRET_KEY" in result.stderr
