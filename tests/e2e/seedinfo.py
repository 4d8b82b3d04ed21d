#!/usr/bin/env python3
"""Answers questions about the fakeaws demo seed, so tests, the demo and the
benchmarks read the demo account's keys and names from one place.

  seedinfo.py key ENV | secret ENV | account ENV | role ENV
  seedinfo.py count ENV EXTRA     functions ListFunctions returns with --extra-functions EXTRA
  seedinfo.py sso_start_url | sso_role
"""
import json
import os
import sys

SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakeaws", "seed")


def load(name):
    with open(os.path.join(SEED, name)) as f:
        return json.load(f)


def account(env):
    for a in load("accounts.json")["accounts"]:
        if a["environment"] == env:
            return a
    sys.exit("seedinfo: no environment %r in the seed" % env)


def main(argv):
    what = argv[1] if len(argv) > 1 else ""
    if what == "key":
        print(account(argv[2])["keys"][0]["access_key_id"])
    elif what == "secret":
        print(account(argv[2])["keys"][0]["secret_access_key"])
    elif what == "account":
        print(account(argv[2])["account_id"])
    elif what == "role":
        # The first plain role (not an SSO-reserved one) is the one to assume.
        roles = [r["name"] for r in account(argv[2])["roles"] if not r["name"].startswith("AWSReservedSSO_")]
        print(roles[0])
    elif what == "count":
        print(len(load(argv[2] + ".json")["functions"]) + int(argv[3]))
    elif what == "sso_start_url":
        print(load("sso.json")["start_url"])
    elif what == "sso_role":
        print(sorted(load("sso.json")["accounts"][0]["roles"])[0])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
