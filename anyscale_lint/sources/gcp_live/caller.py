"""Calls the table's API methods: retries what is transient, turns failures into Faults,
counts every request, and records the failed reads for CORE-003."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from anyscale_lint.sources.gcp_live.faults import TRANSIENT, classify
from anyscale_lint.sources.gcp_live.operations import BY_NAME, is_read_only
from anyscale_lint.sources.live.audit import CallLog, ReadOnlyViolation
from anyscale_lint.sources.live.faults import Fault

Readers = dict[str, Callable[..., dict[str, Any]]]


class Caller(CallLog):
    """Calls readers by their API method's name; nothing outside the table can be called."""

    def __init__(
        self,
        readers: Readers,
        on_call: Callable[[], None],
        max_attempts: int = 5,
        secrets: Callable[[], frozenset[str]] = frozenset,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(on_call)
        self._readers = readers
        self._max_attempts = max_attempts
        self._secrets = secrets
        self._sleep = sleep

    def call(self, operation: str, subject: str, /, **params: Any) -> Any:
        """The response (REST JSON), or a Fault (a failed read is also recorded)."""
        op = BY_NAME[operation]
        if not is_read_only(operation):  # the table holds reads only; never let one slip in
            raise ReadOnlyViolation(f"anyscale-lint live is read-only: refused {operation}")
        reader = self._readers[operation]
        attempt = 1
        while True:
            self.count()
            try:
                return reader(**params)
            except ReadOnlyViolation:
                raise
            except Exception as error:  # api-core, requests and google-auth raise many classes
                fault = classify(error, op.permission, self._secrets())
            if fault.code not in TRANSIENT or attempt >= self._max_attempts:
                return self.fault(subject, fault)
            # Exponential backoff with jitter, as Google's client libraries do.
            self._sleep(min(8.0, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0))
            attempt += 1

    def pages(self, operation: str, key: str, subject: str, /, **params: Any) -> Any:
        """Every item under `key` across pages (`nextPageToken`), or a Fault."""
        items: list[Any] = []
        token = ""
        while True:
            page = self.call(operation, subject, page_token=token, **params)
            if isinstance(page, Fault):
                return page
            items += page.get(key, [])
            token = str(page.get("nextPageToken") or "")
            if not token:
                return items
