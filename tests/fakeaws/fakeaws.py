#!/usr/bin/env python3
"""fakeaws: a local AWS-compatible endpoint for dlc's tests and demo.

Serves STS, the SSO portal, SSO-OIDC, Lambda, EventBridge, CloudWatch Logs
and CloudWatch alarms on one port, checking SigV4
the way AWS does. See tests/fakeaws/README.md.
"""

import argparse
import os
import signal
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from fakeawslib.faults import parse_spec  # noqa: E402
from fakeawslib.server import FakeAwsServer  # noqa: E402
from fakeawslib.loggen import LiveGenerator  # noqa: E402
from fakeawslib.state import LogOptions, State  # noqa: E402


def write_port_file(path, port):
    # Written whole and renamed, so a reader never sees a partial number.
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--seed-dir", default=os.path.join(HERE, "seed"))
    p.add_argument("--extra-functions", type=int, default=0)
    p.add_argument("--faults", default="")
    p.add_argument("--fault-seed", type=int)
    p.add_argument("--stall-seconds", type=float, default=3.0)
    p.add_argument("--sso-approve-after", type=int, default=1)
    p.add_argument("--clock-skew", type=float, default=0.0, metavar="SECONDS",
                   help="run the signature clock this far ahead (< 0: behind)")
    p.add_argument("--log-requests")
    p.add_argument("--log-history-hours", type=float, default=2.0)
    p.add_argument("--log-events-per-function", type=int, default=300)
    p.add_argument("--generate-logs", type=float, default=0.0,
                   metavar="RATE", help="new events a second, all functions")
    p.add_argument("--late-events", action="store_true")
    p.add_argument("--hostile-logs", action="store_true")
    p.add_argument("--empty-pages", type=float, default=0.0, metavar="RATE",
                   help="share of FilterLogEvents pages answered empty")
    p.add_argument("--update-delay-ms", type=int, default=500,
                   help="how long a Lambda update stays InProgress")
    args = p.parse_args(argv)
    if not 0 <= args.empty_pages <= 1:
        p.error("--empty-pages: a rate between 0 and 1")
    try:
        parse_spec(args.faults)
    except ValueError as e:
        p.error("--faults: %s" % e)

    state = State(args.seed_dir, args.extra_functions,
                  LogOptions(args.log_history_hours,
                             args.log_events_per_function, args.hostile_logs,
                             args.empty_pages))
    state.update_delay_ms = args.update_delay_ms
    server = FakeAwsServer((args.host, args.port), state, args.faults,
                           args.fault_seed, args.stall_seconds,
                           args.sso_approve_after, args.log_requests,
                           args.clock_skew)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    port = server.server_address[1]
    if args.port_file:
        write_port_file(args.port_file, port)
    print("fakeaws listening on http://%s:%d" % (args.host, port), flush=True)
    live = None
    if args.generate_logs > 0:
        live = LiveGenerator(state, args.generate_logs, args.late_events)
        live.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        if live:
            live.stop()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
