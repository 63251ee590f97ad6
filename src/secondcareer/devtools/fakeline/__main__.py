"""``python -m secondcareer.devtools.fakeline --port 8090``: the fake LINE platform for the demo.

Channels are ``ID:ACCESS_TOKEN:SECRET[:WEBHOOK_URL]`` (repeat ``--channel`` for several
programs); without one, the default channel is used, with ``--webhook-url`` if given.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from pathlib import Path

from secondcareer.devtools.fakeline.platform import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_CHANNEL_ID,
    DEFAULT_CHANNEL_SECRET,
    DEFAULT_RATE_LIMIT,
    REPLY_TOKEN_TTL,
    Channel,
    FakeLinePlatform,
)
from secondcareer.devtools.fakeline.server import serve


def _channel(text: str) -> Channel:
    parts = text.split(":", 3)
    if len(parts) < 3 or not all(parts[:3]):
        raise argparse.ArgumentTypeError("expected ID:ACCESS_TOKEN:SECRET[:WEBHOOK_URL]")
    return Channel(parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m secondcareer.devtools.fakeline", description=__doc__
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--channel", type=_channel, action="append", default=[])
    parser.add_argument("--webhook-url", help="webhook URL of the default channel")
    parser.add_argument("--allow", action="append", default=[], help="a public string")
    parser.add_argument("--allow-file", type=Path, help="public strings, one a line")
    parser.add_argument("--rate-limit", type=int, default=DEFAULT_RATE_LIMIT)
    parser.add_argument("--monthly-quota", type=int, default=None)
    parser.add_argument("--reply-token-ttl", type=float, default=REPLY_TOKEN_TTL)
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    channels = args.channel or [
        Channel(DEFAULT_CHANNEL_ID, DEFAULT_ACCESS_TOKEN, DEFAULT_CHANNEL_SECRET, args.webhook_url)
    ]
    allow = list(args.allow)
    if args.allow_file:
        allow += [line.strip() for line in args.allow_file.read_text().splitlines() if line.strip()]
    platform = FakeLinePlatform(
        channels=channels,
        allow=allow,
        rate_limit=args.rate_limit,
        monthly_quota=args.monthly_quota,
        reply_token_ttl=args.reply_token_ttl,
    )
    print(f"Fake LINE platform on http://{args.host}:{args.port}", file=sys.stderr)
    for channel in channels:
        print(
            f"  channel {channel.channel_id}: token {channel.access_token}, "
            f"webhook {channel.webhook_url or '-'}",
            file=sys.stderr,
        )
    with contextlib.suppress(KeyboardInterrupt):
        serve(platform, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
