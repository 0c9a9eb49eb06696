"""Beltcast portal: the application factory.

Only ``wsgi.py`` holds an application; everything else receives one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.auth.access import load_user
from portal.auth.forms import LanguageForm
from portal.config import build_config, instance_path_from_environment
from portal.database import configure_sqlite
from portal.errors import register_error_handlers
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate
from portal.i18n import select_locale
from portal.jobs.kinds import add_job_kinds
from portal.jobs.queue import init_queue
from portal.jobs.worker import add_periodic_tasks
from portal.media_offload import install_proxy_support
from portal.navigation import navigation_for
from portal.routing import install_database_id_converter
from portal.storage import media_storage
from portal.templating import install_filters
from portal.web import install_input_guard, install_security_headers

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build a configured Beltcast application."""
    instance = (config_overrides or {}).get("INSTANCE_PATH") or instance_path_from_environment()
    app = Flask(
        __name__,
        instance_path=str(Path(instance or PROJECT_ROOT / "instance").resolve()),
        instance_relative_config=True,
    )
    app.config.from_mapping(build_config(Path(app.instance_path), config_overrides))
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    # The instance folder holds the SQLite files and the model even when media live elsewhere.
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    media_storage(app).root.mkdir(parents=True, exist_ok=True)
    _init_extensions(app)
    install_database_id_converter(app)
    _register_blueprints(app)
    register_error_handlers(app)
    install_security_headers(app)
    install_input_guard(app)
    install_proxy_support(app)
    _install_template_globals(app)
    install_filters(app)
    return app


def _init_extensions(app: Flask) -> None:
    configure_sqlite(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    import_module("portal.models")  # register every model with the metadata
    init_queue(app)


def _register_blueprints(app: Flask) -> None:
    """Register every feature's blueprint, command group, job kind and periodic task
    (``portal/features.py``)."""
    from portal.features import (  # here: importing portal loads no feature
        BLUEPRINTS,
        CLI_GROUPS,
        JOB_KINDS,
        PERIODIC,
    )

    add_job_kinds(app, JOB_KINDS)
    add_periodic_tasks(app, PERIODIC)

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for group in CLI_GROUPS:
        app.cli.add_command(group)


def _install_template_globals(app: Flask) -> None:
    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "language_form": LanguageForm(formdata=None, locale=select_locale()),
            "navigation": navigation_for(current_user),
            "current_locale": select_locale(),
            "current_path": request.full_path.rstrip("?"),
        }
