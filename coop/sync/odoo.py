"""Talking to Odoo: odoo-client-lib over JSON-RPC, with a connector that has real timeouts.

odoo-client-lib's own JSON-RPC connector posts with httpx's default 5-second timeout, which
cannot be set (reference odoo.md §1.5): a batch of 50 moves can take longer, and a timeout does
not mean Odoo rolled back. ``TimeoutConnector`` subclasses it and posts through one reusable
``httpx.Client`` with the configured read timeout (120 s by default) and a 5 s connect timeout,
checks the HTTP status, and raises odoolib's own ``JsonRPCException`` for Odoo's errors, so
``odoolib.Connection`` stays the API we call.

Errors come out in two kinds only:
- ``OdooUnreachable``: the transport failed (refused, timed out, cut, a proxy's error page).
  The request may or may not have been committed by Odoo: the caller retries after looking up
  what exists (``coop.sync.push``).
- ``OdooRefused``: Odoo answered with an error (UserError, ValidationError, AccessError...):
  ``message`` is Odoo's own sentence, ``name`` its exception class.

The password / API key is never logged: odoolib logs call arguments (``execute_kw`` carries the
password) at DEBUG level, so its loggers are held at INFO here.
"""

from __future__ import annotations

import itertools
import json
import logging
from typing import Any

import httpx
import odoolib
import simplejson
from odoolib.tools import AuthenticationError, JsonRPCException

from coop.errors import CoopError
from coop.i18n import _
from coop.sync.settings import OdooSettings

for _name in ("odoolib", "httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_ids = itertools.count(1)


class OdooUnreachable(CoopError):
    """Odoo could not be reached, or the answer was lost (a sentence for the treasurer)."""

    exit_code = 1


class OdooRefused(CoopError):
    """Odoo answered with an error."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


class TimeoutConnector(odoolib.JsonRPCConnector):  # type: ignore[misc]
    """odoolib's JSON-RPC connector with explicit timeouts and a reused HTTP connection."""

    def __init__(self, url: str, *, timeout: float, connect_timeout: float) -> None:
        self.url = url.rstrip("/") + "/jsonrpc"
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout), follow_redirects=False
        )

    def send(self, service_name: str, method: str, *args: Any) -> Any:
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service_name, "method": method, "args": args},
            "id": next(_ids),
        }
        body = simplejson.dumps(payload, use_decimal=True)  # Decimal amounts as exact numbers
        response = self.client.post(
            self.url, content=body, headers={"Content-Type": "application/json"}
        )
        response.raise_for_status()
        data = response.json()
        if data.get("error"):
            raise JsonRPCException(data["error"])
        return data["result"]

    def close(self) -> None:
        self.client.close()


def _transport_sentence(url: str, error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return _("Odoo at {url} did not answer in time ({error}).").format(
            url=url, error=type(error).__name__
        )
    if isinstance(error, httpx.HTTPStatusError):
        return _("Odoo at {url} answered with the HTTP error {status}.").format(
            url=url, status=error.response.status_code
        )
    return _("Odoo cannot be reached at {url} ({error}).").format(
        url=url, error=type(error).__name__
    )


class Odoo:
    """One authenticated link to one Odoo database (``call`` = one ``execute_kw``)."""

    def __init__(self, settings: OdooSettings) -> None:
        self.settings = settings
        self.connector = TimeoutConnector(
            settings.url, timeout=settings.timeout, connect_timeout=settings.connect_timeout
        )
        self.connection = odoolib.Connection(
            self.connector, settings.database, settings.login, settings.api_key
        )

    def _guard(self, run: Any) -> Any:
        try:
            return run()
        except (httpx.HTTPError, json.JSONDecodeError, OSError) as error:
            raise OdooUnreachable(_transport_sentence(self.settings.url, error)) from error
        except AuthenticationError as error:
            raise OdooRefused(
                "AuthenticationError",
                _("Odoo refused the login “{login}” on the database “{database}”.").format(
                    login=self.settings.login, database=self.settings.database
                ),
            ) from error
        except JsonRPCException as error:
            data = error.error.get("data", {}) if isinstance(error.error, dict) else {}
            name = str(data.get("name") or "Odoo")
            message = str(data.get("message") or error.error)
            raise OdooRefused(name.rsplit(".", 1)[-1], message) from error

    def version(self) -> dict[str, Any]:
        result: dict[str, Any] = self._guard(
            lambda: self.connection.get_service("common").version()
        )
        return result

    def login(self) -> int:
        self._guard(lambda: self.connection.check_login(True))
        return int(self.connection.user_id)

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        return self._guard(
            lambda: getattr(self.connection.get_model(model), method)(*args, **kwargs)
        )

    def search_read(
        self, model: str, domain: list[Any], fields: list[str], **kwargs: Any
    ) -> list[dict[str, Any]]:
        ids = self.call(model, "search", domain, **kwargs)
        if not ids:
            return []
        rows: list[dict[str, Any]] = self.call(model, "read", ids, fields, **kwargs)
        return rows

    def close(self) -> None:
        self.connector.close()
