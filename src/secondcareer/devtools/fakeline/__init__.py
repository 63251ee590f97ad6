"""A fake LINE platform for tests and the demo.

The project talks to LINE only through the official ``line-bot-sdk``; pointing the
SDK's ``Configuration(host=...)`` at this fake is all it takes to run without LINE. The
fake enforces LINE's rules and the project's outbound policy, and records what was sent
so tests and the LINE simulator page can read it back.

- :class:`FakeLinePlatform` — the state and rules (mint reply tokens and ID tokens,
  build signed webhooks, read sent messages and rejections).
- :func:`start_server` — serve it in a thread; ``python -m secondcareer.devtools.fakeline`` —
  serve it for the demo.
- :func:`sign` — the ``x-line-signature`` of a webhook body.
- :mod:`secondcareer.devtools.fakeline.pytest_plugin` — the ``fake_line`` fixture, and a failed
  run when any message was refused by the outbound policy.
"""

from secondcareer.devtools.fakeline.platform import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_CHANNEL_ID,
    DEFAULT_CHANNEL_SECRET,
    Channel,
    FakeLinePlatform,
    LineApiError,
    ManualClock,
    Rejection,
    SentMessage,
    SignedWebhook,
    new_user_id,
)
from secondcareer.devtools.fakeline.server import RunningServer, start_server
from secondcareer.devtools.fakeline.signing import sign, signature_is_valid

__all__ = [
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_CHANNEL_ID",
    "DEFAULT_CHANNEL_SECRET",
    "Channel",
    "FakeLinePlatform",
    "LineApiError",
    "ManualClock",
    "Rejection",
    "RunningServer",
    "SentMessage",
    "SignedWebhook",
    "new_user_id",
    "sign",
    "signature_is_valid",
    "start_server",
]
