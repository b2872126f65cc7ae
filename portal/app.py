"""The ASGI application: the sync API and the public page, with their plumbing."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from portal import __version__
from portal.aio import for_database
from portal.api import router
from portal.config import Settings
from portal.dashboard.routes import dashboard_router
from portal.db import Database
from portal.files_api import files_router
from portal.handovers_api import handovers_router
from portal.openapi import DESCRIPTION, document
from portal.ops import ops
from portal.public import LookupPage, public
from portal.ratelimit import TokenBucketLimiter
from portal.web import AccessLogMiddleware, install_error_handlers
from protocol import API_PREFIX, API_VERSION


def create_app(settings: Settings, db: Database | None) -> FastAPI:
    """The application; ``db`` may be None only to print the OpenAPI document."""
    app = FastAPI(
        title="Reference provincial portal: counter sync protocol",
        version=f"{API_VERSION} ({__version__})",
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.limiter = TokenBucketLimiter(db, settings.lookup_rate / 60.0, settings.lookup_burst)
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(files_router)
    app.include_router(handovers_router)
    app.include_router(public)
    app.include_router(dashboard_router)
    app.include_router(ops)
    app.add_middleware(LookupPage, statements=for_database(db))  # inside the access log
    app.add_middleware(AccessLogMiddleware)
    app.openapi = lambda: document(app)  # type: ignore[method-assign]
    return app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, as committed in docs/portal-api.json."""
    return create_app(Settings(), None).openapi()
