"""VT emulator throughput: kubetui's ScreenBuffer against pyte (and bittty when installed).

Feeds the same byte streams (16 KiB chunks, CR LF line ends as a pty sends them) into each
emulator at 200x50 with a 10,000-line scrollback where the emulator has one, and prints MB/s,
median of RUNS. The streams are generated here, so every machine measures the same thing:
short lines (`seq`), `ls -l`-like lines, the same with SGR colours, and mixed UTF-8 with wide
characters. Run: `python bench/bench_terminal.py [--mb 2]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

RUNS = 3
CHUNK = 16384
COLS, ROWS, HISTORY = 200, 50, 10_000


def workloads(size: int) -> dict[str, bytes]:
    rng = random.Random(7)
    seq = "".join(f"{i}\r\n" for i in range(1, size // 5))
    names = ["kubetui", "localcluster", "exec_session.py", "README.md", "screen.py", "node_modules", "bin"]

    def ls_line(coloured: bool) -> str:
        name = rng.choice(names)
        if coloured and rng.random() < 0.4:
            name = f"\x1b[01;34m{name}\x1b[0m"
        return (f"-rw-r--r--  1 root root {rng.randint(0, 99999):>6} Nov 26 15:{rng.randint(10, 59)} "
                f"{name}\r\n")

    words = ["hello", "мир", "日本語", "テスト", "ü", "naïve", "😀", "abc", "kubetui"]
    utf8 = "".join(" ".join(rng.choice(words) for _ in range(8)) + "\r\n" for _ in range(size // 60))
    plain = "".join(ls_line(False) for _ in range(size // 55))
    colour = "".join(ls_line(True) for _ in range(size // 60))
    return {name: text.encode()[:size] for name, text in
            [("seq", seq), ("ls -l", plain), ("ls -l colour", colour), ("utf-8 wide", utf8)]}


def feed_kubetui(data: bytes) -> None:
    from kubetui.terminal import ScreenBuffer

    screen = ScreenBuffer(COLS, ROWS, HISTORY)
    for i in range(0, len(data), CHUNK):
        screen.feed(data[i:i + CHUNK])


def feed_pyte(data: bytes, history: bool) -> None:
    import pyte

    screen = pyte.HistoryScreen(COLS, ROWS, history=HISTORY) if history else pyte.Screen(COLS, ROWS)
    stream = pyte.ByteStream(screen)
    for i in range(0, len(data), CHUNK):
        stream.feed(data[i:i + CHUNK])


def feed_bittty(data: bytes) -> None:
    from bittty import Board
    from bittty.terminals.base import Terminal
    from bittty.terminals.scrollback import MemoryScrollback

    board = Board(width=COLS, height=ROWS)
    Terminal(board, MemoryScrollback(HISTORY)).attach()
    for i in range(0, len(data), CHUNK):
        board.feed_host_data(data[i:i + CHUNK])


def emulators() -> dict:
    found = {"kubetui ScreenBuffer": feed_kubetui}
    try:
        import pyte  # noqa: F401

        found["pyte Screen (no history)"] = lambda d: feed_pyte(d, False)
        found["pyte HistoryScreen"] = lambda d: feed_pyte(d, True)
    except ImportError:
        pass
    try:
        import bittty  # noqa: F401

        found["bittty 0.x"] = feed_bittty
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes per workload (default 1)")
    args = parser.parse_args()
    streams = workloads(int(args.mb * 1_000_000))
    names = list(streams)
    print(f"{'emulator':28s}" + "".join(f"{n:>14s}" for n in names) + "   (MB/s, median of 3)")
    for label, feed in emulators().items():
        rates = []
        for name in names:
            data = streams[name]
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                feed(data)
                times.append(time.perf_counter() - start)
            rates.append(len(data) / statistics.median(times) / 1e6)
        print(f"{label:28s}" + "".join(f"{r:14.2f}" for r in rates), flush=True)


if __name__ == "__main__":
    main()
