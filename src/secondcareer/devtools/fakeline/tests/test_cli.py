"""``python -m secondcareer.devtools.fakeline``: the standalone server the demo runs."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from secondcareer.devtools.fakeline.__main__ import build_parser
from secondcareer.devtools.fakeline.tests.conftest import http


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_standalone_server_serves_the_channels_it_was_given(tmp_path):
    port = _free_port()
    allow = tmp_path / "public.txt"
    allow.write_text("所沢市並木1-8-1\n")
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "secondcareer.devtools.fakeline",
            "--port",
            str(port),
            "--channel",
            "2000000009:demo-token:demo-secret:http://127.0.0.1:8000/line/saitama/webhook",
            "--allow-file",
            str(allow),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                status, _, info = http(
                    "GET", f"{base_url}/v2/bot/info", headers={"Authorization": "Bearer demo-token"}
                )
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.02)
        assert status == 200
        assert info["chatMode"] == "bot"
        push = {
            "to": "U" + "b" * 32,
            "messages": [{"type": "text", "text": "会場：所沢市並木1-8-1"}],
        }
        status, _, _ = http(
            "POST", f"{base_url}/v2/bot/message/push", push, {"Authorization": "Bearer demo-token"}
        )
        assert status == 200
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=5)
    assert f"Fake LINE platform on http://127.0.0.1:{port}" in stderr
    assert "channel 2000000009" in stderr


def test_a_malformed_channel_is_a_usage_error():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--channel", "only-an-id"])
