"""What applying a set did, as a whole, and the one sentence that sums it up (CLI and panel alike).

Key decision: the summary is derived from the outcomes alone, so it cannot claim more than they
show: "nothing was applied" only when no object was created or configured for real; after a
part-way failure it names what was rolled back and what could not be.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubetui.kube.apply_outcomes import NOT_APPLIED, Outcome

WRITES = ("created", "configured")


@dataclass
class ApplyReport:
    outcomes: list[Outcome]
    sent: bool                      # whether anything was sent for real (not only dry runs)
    all_or_nothing: bool = True
    dry_run: bool = False

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def applied(self) -> list[Outcome]:
        """Objects this run wrote for real, rolled back or not."""
        return [o for o in self.outcomes if o.ok and o.action in WRITES and not o.dry_run]

    @property
    def rolled_back(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rolled_back]

    @property
    def not_rolled_back(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rollback == "failed"]

    @property
    def not_sent(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == NOT_APPLIED]

    def summary(self) -> str:
        """One sentence on a failed all-or-nothing run ("" otherwise); the CLI prefixes `error: `."""
        if not self.failed or not self.all_or_nothing or self.dry_run:
            return ""
        total, failed = len(self.outcomes), len(self.failed)
        if not self.sent:
            return (f"{failed} of {total} objects failed the server's dry run; nothing was applied "
                    "(all-or-nothing; --no-all-or-nothing applies the others)")
        head = f"{failed} of {total} objects failed to apply after the server's dry run passed"
        landed = [o for o in self.outcomes if not o.ok and o.rolled_back]  # failed answers whose write landed
        if not self.applied and not landed and not self.not_rolled_back:
            return f"{head}; nothing was applied (all-or-nothing)"
        parts = [_rolled_back_words(self.rolled_back)]
        if self.not_sent:
            parts.append(f"{len(self.not_sent)} not sent")
        if self.not_rolled_back:
            names = ", ".join(o.ref for o in self.not_rolled_back)
            parts.append(f"{len(self.not_rolled_back)} could not be rolled back and stay{'s' * (len(self.not_rolled_back) == 1)}"
                         f" as this run left {'it' if len(self.not_rolled_back) == 1 else 'them'}: {names}")
        return f"{head}; all-or-nothing: " + "; ".join(p for p in parts if p)

    def panel_summary(self) -> str:
        """The first line of the apply panel's results."""
        failed, total = len(self.failed), len(self.outcomes)
        if self.dry_run or not failed:
            return f"Applied {total} object{'s' * (total != 1)} (Enter on a pod jumps to it)"
        if not self.sent:
            return f"Not applied: {failed} of {total} objects failed the dry run; nothing was sent"
        if not self.all_or_nothing:
            return f"Applied with failures: {failed} of {total} objects failed"
        return "Failed part-way: " + self.summary()


def _rolled_back_words(outcomes: list[Outcome]) -> str:
    if not outcomes:
        return "nothing was rolled back"
    deleted = sum(o.rollback == "deleted" for o in outcomes)
    restored = len(outcomes) - deleted
    what = [f"{deleted} created object{'s' * (deleted != 1)} deleted" if deleted else "",
            f"{restored} configured object{'s' * (restored != 1)} restored to {'its' if restored == 1 else 'their'} "
            "state before this run" if restored else ""]
    return f"rolled back {len(outcomes)} object{'s' * (len(outcomes) != 1)} (" + ", ".join(w for w in what if w) + ")"
