"""Accounts, keys, functions and sessions, loaded from the seed files.

One State object per server, guarded by one lock: handlers run on many
threads, and tests reset it through the admin endpoint.
"""

import copy
import json
import os
import random
import secrets
import string
import threading
import time

from . import cloudwatch_seed, loggen
from .logstore import LogStore, now_ms

ALNUM = string.ascii_uppercase + string.digits


def new_key_id(prefix="ASIA"):
    # Every fake key id says FAKE so it can never be mistaken for a real one.
    return prefix + "FAKE" + "".join(secrets.choice(ALNUM) for _ in range(12))


def new_secret():
    # Standard base64, like AWS secrets: '+' and '/' test the signer's care.
    import base64
    return base64.b64encode(secrets.token_bytes(30)).decode()


class Account:
    def __init__(self, doc, env_doc):
        self.environment = doc["environment"]
        self.account_id = doc["account_id"]
        self.alias = doc.get("alias", "")
        self.user = doc["user"]
        self.roles = {r["name"]: r for r in doc.get("roles", [])}
        env_doc = env_doc or {}
        self.functions = {}      # name -> {"Configuration", "Tags"}
        for f in env_doc.get("functions", []):
            self.functions[f["Configuration"]["FunctionName"]] = f
        self.layer_versions = env_doc.get("layer_versions", [])
        self.log_groups = env_doc.get("log_groups", [])
        self.alarms = env_doc.get("alarms", [])
        self.event_source_mappings = env_doc.get("event_source_mappings", [])
        self.rules = env_doc.get("rules", [])
        self.buckets = env_doc.get("buckets", [])   # S3, made by the server
        self.pending_updates = set()    # functions InProgress (lambda_cycle)
        self.layer_unzipped = {}        # LayerVersionArn -> unzipped bytes
        self.layer_code = {}            # LayerVersionArn -> lambda_zip.save
        self.tables = {}                # DynamoDB: name -> dynamodb.Table

    def user_arn(self):
        return "arn:aws:iam::%s:user/%s" % (self.account_id, self.user["name"])

    def add_generated(self, count, region):
        """Add count plain functions, for paging and volume tests."""
        for i in range(1, count + 1):
            name = "datalake-%s-gen-%04d" % (self.environment, i)
            arn = "arn:aws:lambda:%s:%s:function:%s" % (region,
                                                        self.account_id, name)
            self.functions[name] = {"Configuration": {
                "FunctionName": name, "FunctionArn": arn,
                "Runtime": "python3.12",
                "Role": "arn:aws:iam::%s:role/datalake-%s-lambda-gen" % (
                    self.account_id, self.environment),
                "Handler": "lambda_function.lambda_handler",
                "CodeSize": 1000 + i, "Description": "Generated function %d" % i,
                "Timeout": 60, "MemorySize": 128,
                "LastModified": "2026-11-01T08:%02d:%02d.%03d+0000" % (
                    i // 60 % 60, i % 60, i % 1000),
                "CodeSha256": _b64sha(name), "Version": "$LATEST",
                "Environment": {"Variables": {"ENVIRONMENT": self.environment}},
                "TracingConfig": {"Mode": "PassThrough"},
                "RevisionId": "00000000-0000-4000-8000-%012d" % i,
                "State": "Active", "LastUpdateStatus": "Successful",
                "PackageType": "Zip", "Architectures": ["x86_64"],
                "EphemeralStorage": {"Size": 512},
                "LoggingConfig": {"LogFormat": "Text",
                                  "LogGroup": "/aws/lambda/" + name}},
                "Tags": {"generated": "true"}}


def _b64sha(text):
    import base64
    import hashlib
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


class Session:
    """Temporary credentials from AssumeRole or GetRoleCredentials."""

    def __init__(self, account, arn, user_id, expires):
        self.access_key_id = new_key_id()
        self.secret_access_key = new_secret()
        self.session_token = "FAKE" + secrets.token_urlsafe(96)
        self.account = account
        self.arn = arn
        self.user_id = user_id
        self.expires = expires


class LogOptions:
    """How much log history to generate at start-up (and on reset)."""

    def __init__(self, hours=2.0, per_function=300, hostile=False,
                 empty_pages=0.0, seed=11):
        self.hours = hours
        self.per_function = per_function
        self.hostile = hostile
        self.empty_pages = empty_pages
        self.rng = random.Random(seed)
        self.rng_lock = threading.Lock()

    def empty_page(self):
        """Whether this FilterLogEvents page should come back empty."""
        if self.empty_pages <= 0:
            return False
        with self.rng_lock:
            return self.rng.random() < self.empty_pages


class State:
    def __init__(self, seed_dir, extra_functions=0, log_options=None):
        self.lock = threading.RLock()
        self.seed_dir = seed_dir
        self.extra_functions = extra_functions
        self.log_options = log_options or LogOptions()
        # How long an update stays InProgress (--update-delay-ms).
        self.update_delay_ms = 500
        self.reset()

    def _load(self, name):
        path = os.path.join(self.seed_dir, name)
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    def reset(self):
        with self.lock:
            accounts = self._load("accounts.json")
            if accounts is None:
                raise SystemExit("fakeaws: no accounts.json in %s"
                                 % self.seed_dir)
            self.region = accounts.get("region", "eu-west-1")
            self.accounts = {}
            self.static_keys = {}   # akid -> (secret, account)
            for doc in accounts["accounts"]:
                env_doc = self._load(doc["environment"] + ".json")
                acct = Account(doc, copy.deepcopy(env_doc))
                acct.add_generated(self.extra_functions, self.region)
                # Alarms live in their own file (seed/ENV-alarms.json).
                cloudwatch_seed.attach(acct, self._load(
                    doc["environment"] + "-alarms.json"))
                self.accounts[acct.account_id] = acct
                for k in doc.get("keys", []):
                    self.static_keys[k["access_key_id"]] = (
                        k["secret_access_key"], acct)
            self.sso = self._load("sso.json") or {}
            self.sessions = {}      # akid -> Session
            self.oidc_clients = {}  # clientId -> dict
            self.devices = {}       # deviceCode -> dict
            self.access_tokens = {}  # accessToken -> dict(expires, ...)
            self.refresh_tokens = {}  # refreshToken -> clientId
            self._load_logs()

    def _load_logs(self):
        """Seed log groups, each filled with generated Lambda history."""
        opts = self.log_options
        self.logs = LogStore()
        self.log_targets = []       # (store, group, FunctionLog) for loggen
        end = now_ms()
        for acct in self.accounts.values():
            for doc in acct.log_groups:
                self.logs.group(acct.account_id, doc["logGroupName"], True,
                                doc.get("creationTime")).__dict__.update(
                    retention=doc.get("retentionInDays"),
                    stored_bytes=doc.get("storedBytes", 0))
            for flog in loggen.function_logs(acct.account_id, acct.functions):
                cfg = acct.functions[flog.name]["Configuration"]
                name = cfg.get("LoggingConfig", {}).get(
                    "LogGroup", "/aws/lambda/" + flog.name)
                group = self.logs.group(acct.account_id, name)
                if group is None:
                    continue    # no log group in the seed: never invoked
                loggen.fill_history(self.logs, group, flog, end, opts.hours,
                                    opts.per_function)
                if opts.hostile and flog.name.endswith("mambu-to-s3-raw"):
                    loggen.hostile_events(self.logs, group, flog,
                                          end - 10 * 60 * 1000)
                self.log_targets.append((self.logs, group, flog))

    # Credentials ------------------------------------------------------

    def lookup_key(self, akid):
        """(secret, account, session or None) for a key id, or None."""
        with self.lock:
            if akid in self.static_keys:
                secret, acct = self.static_keys[akid]
                return secret, acct, None
            sess = self.sessions.get(akid)
            if sess:
                return sess.secret_access_key, sess.account, sess
            return None

    def new_session(self, account, arn, user_id, seconds):
        with self.lock:
            sess = Session(account, arn, user_id, time.time() + seconds)
            self.sessions[sess.access_key_id] = sess
            return sess

    def expire_sessions(self):
        with self.lock:
            for sess in self.sessions.values():
                sess.expires = time.time() - 1
            return len(self.sessions)

    def find_role(self, arn):
        """(account, role) for arn:aws:iam::ACCOUNT:role/NAME, or None."""
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[:3] != ["arn", "aws", "iam"]:
            return None
        acct = self.accounts.get(parts[4])
        if not acct or not parts[5].startswith("role/"):
            return None
        role = acct.roles.get(parts[5][len("role/"):].rsplit("/", 1)[-1])
        return (acct, role) if role else None

    # SSO ----------------------------------------------------------------

    def expire_sso_tokens(self):
        with self.lock:
            for tok in self.access_tokens.values():
                tok["expires"] = time.time() - 1
            return len(self.access_tokens)
