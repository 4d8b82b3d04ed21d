"""Fault injection: which requests fail, and how.

A spec is "kind=probability,..." (kinds below) or one number, which is
spread evenly over every kind. Draws come from one seeded generator in
request order, so a single-threaded client sees the same faults each run.
"""

import random
import threading

KINDS = ("throttle", "500", "503", "reset", "stall", "truncate")
# Only when named: not something AWS sends, but what a hostile endpoint
# (an endpoint_url, a proxy) could, so "--faults 0.2" leaves it out.
NAMED_KINDS = ("hostile",)


def parse_spec(spec):
    """Return {kind: probability}; raise ValueError naming the bad part."""
    if isinstance(spec, dict):
        items = list(spec.items())
    else:
        spec = (spec or "").strip()
        if not spec:
            return {}
        try:
            total = float(spec)
        except ValueError:
            items = []
            for part in spec.split(","):
                kind, sep, prob = part.partition("=")
                if not sep:
                    raise ValueError("fault %r needs kind=probability" % part)
                items.append((kind.strip(), prob))
        else:
            items = [(k, total / len(KINDS)) for k in KINDS]
    out = {}
    for kind, prob in items:
        if kind not in KINDS + NAMED_KINDS:
            raise ValueError("unknown fault kind %r (known: %s)"
                             % (kind, ", ".join(KINDS + NAMED_KINDS)))
        try:
            p = float(prob)
        except (TypeError, ValueError):
            raise ValueError("fault %s: %r is not a number" % (kind, prob))
        if not 0.0 <= p <= 1.0:
            raise ValueError("fault %s: %r is not within 0..1" % (kind, p))
        out[kind] = p
    if sum(out.values()) > 1.0 + 1e-9:
        raise ValueError("fault probabilities add up to more than 1")
    return out


class Faults:
    def __init__(self, spec="", seed=None, stall_seconds=3.0):
        self.lock = threading.Lock()
        self.stall_seconds = stall_seconds
        self.configure(spec, seed)

    def configure(self, spec, seed=None, stall_seconds=None):
        probs = parse_spec(spec)
        with self.lock:
            self.probs = probs
            self.rng = random.Random(seed)
            if stall_seconds is not None:
                self.stall_seconds = float(stall_seconds)

    def describe(self):
        with self.lock:
            return {"faults": dict(self.probs),
                    "stall_seconds": self.stall_seconds}

    def draw(self):
        """The fault kind for the next request, or None."""
        with self.lock:
            if not self.probs:
                return None
            x = self.rng.random()
            for kind in KINDS + NAMED_KINDS:
                p = self.probs.get(kind, 0.0)
                if x < p:
                    return kind
                x -= p
            return None
