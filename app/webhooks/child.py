"""The delivery worker `claimdesk serve` starts on SQLite (app.webhooks.worker.WorkerProcess):

    python -m app.webhooks.child WAKE_FD      # the API's settings as JSON on standard input

A byte on WAKE_FD is a commit that wrote changes; its end is the API process
stopping or gone, and the worker stops after the round it is in. Ctrl-C in the
terminal reaches the whole process group: the API decides when this worker stops.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from app.settings import Settings
from app.webhooks.worker import deliver_until


def _listen(wake_fd: int, wake: threading.Event, stop: threading.Event) -> None:
    while os.read(wake_fd, 4096):
        wake.set()
    stop.set()
    wake.set()


def main(argv: list[str]) -> None:
    wake_fd = int(argv[0])
    settings = Settings.model_validate_json(sys.stdin.buffer.read())
    stop, wake = threading.Event(), threading.Event()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=_listen, args=(wake_fd, wake, stop), daemon=True).start()
    deliver_until(settings, stop, wake)


if __name__ == "__main__":
    main(sys.argv[1:])
