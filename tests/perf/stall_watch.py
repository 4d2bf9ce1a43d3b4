"""What the window's threads were doing while its event loop stalled (benchmarks' debug mode).

The benchmark's ticker calls ``beat()`` on every turn of the event loop. A watchdog thread looks every
10 ms; once the loop has not turned for ``after_ms``, it takes the stack of every other thread of the
process once for that stall, and ``report()`` prints them when the loop turns again, with how long
the stall lasted. The main thread's stack shows the window's own work; a lane's stack shows what held
the interpreter meanwhile.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from types import FrameType


class StallWatch(threading.Thread):
    """A daemon thread that catches the threads' stacks during a stall of the event loop."""

    def __init__(self, after_ms: float = 150, frames: int = 7) -> None:
        super().__init__(name="stall-watch", daemon=True)
        self.after = after_ms / 1000
        self.frames = frames
        self._last = time.monotonic()
        self._caught: list[str] | None = None
        self._armed = True
        self._lock = threading.Lock()
        self._main = threading.main_thread().ident

    def beat(self, what: str = "") -> None:
        """The event loop turned; print what was caught if the turn before it was a stall."""
        now = time.monotonic()
        with self._lock:
            gap, caught = now - self._last, self._caught
            self._last, self._caught, self._armed = now, None, True
        if caught is not None:
            print(f"--- stall of {gap * 1000:.0f} ms {what}", file=sys.stderr)
            print("\n".join(caught), file=sys.stderr, flush=True)

    def run(self) -> None:
        names = {t.ident: t.name for t in threading.enumerate()}
        while True:
            time.sleep(0.01)
            with self._lock:
                late = self._armed and time.monotonic() - self._last > self.after
                if late:
                    self._armed = False
            if not late:
                continue
            frames: dict[int, FrameType] = sys._current_frames()
            names.update({t.ident: t.name for t in threading.enumerate()})
            out = []
            for ident, frame in frames.items():
                if ident == self.ident:
                    continue
                stack = traceback.extract_stack(frame)[-self.frames :]
                label = "main" if ident == self._main else names.get(ident, str(ident))
                out.append(f"[{label}]")
                out.extend(f"    {f.filename.split('/site-packages/')[-1]}:{f.lineno} {f.name}" for f in stack)
            with self._lock:
                self._caught = out
