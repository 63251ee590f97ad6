"""Per-program LINE channel settings from the environment.

``LINE_<PROGRAM>_CHANNEL_SECRET`` and ``LINE_<PROGRAM>_CHANNEL_ACCESS_TOKEN`` (program
slug upper-cased, e.g. ``LINE_KOBE_CHANNEL_SECRET``), ``LINE_<PROGRAM>_CHANNEL_ID``
(LINE Login channel for ID-token checks), ``LINE_<PROGRAM>_MONTHLY_QUOTA`` (messages per
month of the plan), ``LINE_API_BASE_URL`` (the Messaging API host; the fake platform
in tests and the demo) and ``LINE_API_DATA_BASE_URL`` (LINE's data host for images;
defaults to the API host, where the fake platform serves both). Outside production each has a documented demo default, so the
demo and the tests need no configuration; in production a missing secret or token
disables the channel instead of using a default.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from secondcareer.core.env import env_int, env_str

DEMO_SECRET = "demo-line-channel-secret-{slug}"  # noqa: S105 - documented demo default
DEMO_TOKEN = "demo-line-access-token-{slug}"  # noqa: S105 - documented demo default
DEMO_CHANNEL_ID = "1000000{n}"
DEFAULT_API_BASE = "http://127.0.0.1:8000/fakeline"
DEFAULT_MONTHLY_QUOTA = 5000


@dataclass(frozen=True)
class LineChannel:
    program_slug: str
    channel_secret: str
    access_token: str
    channel_id: str
    api_base_url: str
    api_data_base_url: str
    monthly_quota: int

    @property
    def is_configured(self) -> bool:
        return bool(self.channel_secret and self.access_token)


def channel_for(program_slug: str) -> LineChannel:
    key = program_slug.upper().replace("-", "_")
    demo = settings.ENVIRONMENT != "production"
    return LineChannel(
        program_slug=program_slug,
        channel_secret=env_str(
            f"LINE_{key}_CHANNEL_SECRET", DEMO_SECRET.format(slug=program_slug) if demo else ""
        ),
        access_token=env_str(
            f"LINE_{key}_CHANNEL_ACCESS_TOKEN", DEMO_TOKEN.format(slug=program_slug) if demo else ""
        ),
        channel_id=env_str(
            f"LINE_{key}_CHANNEL_ID", DEMO_CHANNEL_ID.format(n=sum(map(ord, program_slug)) % 1000)
        ),
        api_base_url=env_str("LINE_API_BASE_URL", DEFAULT_API_BASE).rstrip("/"),
        api_data_base_url=env_str(
            "LINE_API_DATA_BASE_URL", env_str("LINE_API_BASE_URL", DEFAULT_API_BASE)
        ).rstrip("/"),
        monthly_quota=env_int(f"LINE_{key}_MONTHLY_QUOTA", DEFAULT_MONTHLY_QUOTA),
    )
