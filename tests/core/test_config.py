import secrets

import pytest

from core import config, create_app

REAL_KEY = secrets.token_urlsafe(48)
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": REAL_KEY,
    "DATABASE_URL": "sqlite://",
    "TRUSTED_HOSTS": "cyberready.example.org",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
}


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
    with pytest.raises(config.ConfigError, match="SMTP_URL is a folder"):
        create_app(environ=PRODUCTION | {"SMTP_URL": "file:///tmp/mail"})


def test_production_with_a_real_key_starts_with_secure_cookies():
    app = create_app(environ=PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_HOSTS"] == ["cyberready.example.org"]


@pytest.mark.parametrize(
    "key",
    ["x" * 48, "password1234" * 4, "0123456789" * 4, "abcdefghijklmnopqrstuvwxyzabcdef", "ab" * 30],
)
def test_production_refuses_a_long_key_that_is_not_random(key):
    with pytest.raises(config.ConfigError, match="not random"):
        create_app(environ=PRODUCTION | {"SECRET_KEY": key})


def test_keys_made_by_secrets_are_taken():
    for _ in range(2000):
        assert config.looks_random(secrets.token_hex(16))
        assert config.looks_random(secrets.token_urlsafe(32))


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_production_refuses_flask_debug(value):
    with pytest.raises(config.ConfigError, match="FLASK_DEBUG is on"):
        create_app(environ=PRODUCTION | {"FLASK_DEBUG": value})


def test_production_refuses_rate_limits_counted_per_process():
    with pytest.raises(config.ConfigError, match="RATELIMIT_STORAGE_URI is memory://"):
        create_app(environ=PRODUCTION | {"RATELIMIT_STORAGE_URI": "memory://"})


def test_production_needs_trusted_hosts():
    environ = {k: v for k, v in PRODUCTION.items() if k != "TRUSTED_HOSTS"}
    with pytest.raises(config.ConfigError, match="TRUSTED_HOSTS is not set"):
        create_app(environ=environ)


def test_a_host_not_trusted_is_refused_in_production():
    app = create_app(environ=PRODUCTION)
    assert app.test_client().get("/healthz", headers={"Host": "evil.example"}).status_code == 400


def test_the_default_base_url_follows_host_and_port(tmp_path):
    settings = config.load(tmp_path, {"PORT": "5102", "HOST": "localhost"})
    assert settings["PUBLIC_BASE_URL"] == "http://localhost:5102"
    assert config.load(tmp_path, {"PORT": "5102"})["PUBLIC_BASE_URL"] == "http://127.0.0.1:5102"
    everywhere = config.load(tmp_path, {"HOST": "0.0.0.0"})  # noqa: S104
    assert everywhere["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"


def test_demo_data_is_refused_in_production(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "demo", "load"],
        cwd=ROOT,
        env={**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Refusing to load demo data in production" in result.stderr


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
