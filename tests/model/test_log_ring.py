"""The log ring (bounded by lines and by bytes, absolutely numbered) and the line splitter."""

from __future__ import annotations

import pytest

from kubetui.model.log_lines import (
    LineSplitter, deleted_marker, is_marker, prefix_for, restarted_marker,
)
from kubetui.model.log_ring import DEFAULT_CAPACITY, LogRing


def numbered(start: int, count: int) -> list[bytes]:
    return [b"line %d" % n for n in range(start, start + count)]


def test_the_ring_keeps_the_newest_lines_numbered_from_the_first_ever():
    ring = LogRing(capacity=5)
    ring.extend(numbered(0, 3))
    ring.extend(numbered(3, 4))
    assert (len(ring), ring.first, ring.appended, ring.dropped) == (5, 2, 7, 2)
    assert ring.lines(0, 100) == numbered(2, 5)
    assert ring.line(2) == b"line 2" and ring.line(6) == b"line 6"
    assert ring.tail(2) == numbered(5, 2)
    with pytest.raises(IndexError):
        ring.line(1)


def test_lines_span_batches_and_clip_to_what_is_kept():
    ring = LogRing(capacity=100)
    for start in range(0, 30, 3):
        ring.extend(numbered(start, 3))
    assert ring.lines(4, 11) == numbered(4, 7)
    assert ring.lines(-5, 2) == numbered(0, 2)
    assert ring.lines(28, 40) == numbered(28, 2)
    assert ring.lines(10, 10) == [] and ring.tail(0) == []


def test_a_batch_bigger_than_the_ring_keeps_its_newest_lines():
    ring = LogRing(capacity=10)
    ring.extend(numbered(0, 4))
    ring.extend(numbered(4, 25))
    assert (ring.first, ring.appended) == (19, 29)
    assert ring.lines(0, 100) == numbered(19, 10)


def test_ten_million_lines_leave_the_ring_bounded():
    ring = LogRing()
    batch = [b"x" * 80] * 4096
    for _ in range(10_000_000 // 4096 + 1):
        ring.extend(list(batch))
    assert ring.appended > 10_000_000
    assert len(ring) == DEFAULT_CAPACITY
    assert ring.bytes <= (DEFAULT_CAPACITY + len(batch)) * 80  # only the kept batches are counted
    assert len(ring._batches) - ring._head <= DEFAULT_CAPACITY // len(batch) + 2
    assert len(ring._batches) <= 2 * (DEFAULT_CAPACITY // len(batch) + 2) + 64  # dropped slots are compacted


def test_the_byte_budget_drops_old_batches_too():
    ring = LogRing(capacity=1_000_000, max_bytes=1000)
    for start in range(0, 100, 10):
        ring.extend([b"y" * 50] * 10)
    assert ring.bytes <= 1000 and len(ring) == 20
    assert ring.first == 80


def test_clear_forgets_lines_but_not_the_numbering():
    ring = LogRing(capacity=10)
    ring.extend(numbered(0, 4))
    ring.clear()
    ring.extend(numbered(4, 2))
    assert (len(ring), ring.first, ring.lines(0, 10)) == (2, 4, numbered(4, 2))


def test_a_ring_needs_room():
    with pytest.raises(ValueError):
        LogRing(capacity=0)


# ------------------------------------------------------------------------- splitting
def test_lines_split_across_reads_come_out_whole():
    splitter = LineSplitter()
    assert splitter.feed(b"one\ntw") == [b"one"]
    assert splitter.feed(b"o") == []
    assert splitter.feed(b"\nthree\n\nfour") == [b"two", b"three", b""]
    assert splitter.finish() == [b"four"]
    assert splitter.finish() == []


def test_a_prefix_goes_before_every_line_as_kubectl_prefix_writes_it():
    splitter = LineSplitter(prefix_for("web-1", "app"))
    assert splitter.feed(b"a\nb\nc") == [b"[pod/web-1/app] a", b"[pod/web-1/app] b"]
    assert splitter.finish() == [b"[pod/web-1/app] c"]


def test_an_endless_line_is_cut_and_the_rest_of_it_dropped():
    splitter = LineSplitter(max_line=10)
    first = splitter.feed(b"x" * 25)
    assert len(first) == 1 and first[0].startswith(b"x" * 10 + b" [line cut")
    assert splitter.feed(b"y" * 1000) == []
    assert splitter.feed(b"zz\nnext\n") == [b"next"]
    long_in_one_read = splitter.feed(b"a" * 30 + b"\nok\n")
    assert long_in_one_read[0].startswith(b"a" * 10 + b" [line cut") and long_in_one_read[1] == b"ok"


def test_markers_are_recognisable_with_or_without_a_prefix():
    assert restarted_marker(3) == "──── container restarted (instance 3) ────".encode()
    assert is_marker(deleted_marker()) and is_marker(prefix_for("p", "c") + restarted_marker(2))
    assert not is_marker(b"an ordinary line") and not is_marker("──── only a rule".encode())
