"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`."""

from core import create_app

app = create_app()
