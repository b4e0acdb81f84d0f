"""Falco's syscall event drop manager, as far as the stand-in can have one (it reads no ring buffer).

Once a second Falco compares the driver's drop counters with the last second's; with
`syscall_event_drops.simulate_drops: true` (Falco's own testing switch) it adds one drop every
second whatever the counters say, and the threshold does not apply. On drops it takes the
`actions` (`log`, `alert`, `exit`, `ignore`; default log + alert) when its token bucket (`rate`
tokens a second, at most `max_burst`, full at start) has a token. The alert is the internal
rule "Falco internal: syscall event drop" at priority Debug with the counters as string fields.
The stand-in has no real drops, so only simulate_drops makes any.
"""
import time

from . import log

RULE = "Falco internal: syscall event drop"


class TokenBucket:
    def __init__(self, rate, max_tokens, now):
        self.rate = rate
        self.max_tokens = max_tokens
        self.tokens = max_tokens
        self.last = now

    def claim(self, now):
        self.tokens = min(self.max_tokens, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class DropManager:
    def __init__(self, conf, outputs, bpf_enabled):
        self.outputs = outputs
        self.bpf_enabled = bpf_enabled
        self.simulate = bool(conf.get("syscall_event_drops.simulate_drops", False))
        self.actions = list(conf.get("syscall_event_drops.actions", ["log", "alert"]) or ["ignore"])
        now = time.monotonic()
        self.bucket = TokenBucket(float(conf.get("syscall_event_drops.rate", 0.03333)), float(conf.get("syscall_event_drops.max_burst", 1)), now)
        self.next_check = now + 1

    def step(self):
        """Called from the event loop; True while Falco may go on (False: the `exit` action)."""
        now = time.monotonic()
        if not self.simulate or now < self.next_check:
            return True
        self.next_check = now + 1
        if not self.bucket.claim(now):
            return True
        n_drops = 1
        msg = f"{RULE}. {n_drops} system calls dropped in last second."
        for action in self.actions:
            if action == "log":
                log.info(msg)
            elif action == "alert":
                fields = {"n_evts": "0", "n_drops": str(n_drops), "n_drops_buffer_total": "0", "n_drops_scratch_map": "0",
                          "n_drops_page_faults": "0", "n_drops_bug": "0", "ebpf_enabled": "1" if self.bpf_enabled else "0"}
                self.outputs.emit_internal(RULE, "debug", msg, fields)
            elif action == "exit":
                log.info(msg)
                log.info("Exiting.")
                return False
        return True
