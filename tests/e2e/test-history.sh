#!/bin/sh
# dlc history: journal files written here by a small script (as several
# dlcs on this and other machines would have left them, with a torn last
# line and a garbage line), read back as a table and as JSON: who, what,
# when, commit, CodeSha256 and the previous one, layers, outcome, job id,
# whether the package is kept; a warning naming file and line for each
# skipped line, never a failure. No AWS is asked.
. "$(dirname "$0")/lib.sh"

write_dlc_ini
export XDG_STATE_HOME="$WORK/state"

"$PYTHON3" - "$XDG_STATE_HOME" >"$WORK/seed.out" 2>&1 <<'PY'
import base64, datetime, json, os, socket, subprocess, sys
state = sys.argv[1] + "/dlc"
os.makedirs(state + "/journal", exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc)
host = socket.gethostname()
dead = subprocess.Popen(["true"]); dead.wait()

def sha(n):
    return base64.b64encode(bytes([n]) * 32).decode()

def rec(when, job, ev, who="ann", on="hostA", pid=4242, **kw):
    r = {"t": when.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (when.microsecond // 1000),
         "host": on, "user": who, "pid": pid, "pstart": 1, "job": job, "ev": ev}
    r.update(kw)
    return json.dumps(r, separators=(",", ":"))

def deploy(when, job, env, fn, commit, new, old, **kw):
    q = dict(env=env, function=fn, remote="datalake-%s-%s" % (env, fn), kind="code",
             special=False, commit=commit, order=1)
    return [rec(when, job, "queued", **q),
            rec(when + datetime.timedelta(seconds=1), job, "step", step="upload", state="running"),
            rec(when + datetime.timedelta(seconds=9), job, "end", code_sha256=new,
                previous_sha256=old, **kw)]

days = {}
def put(when, lines):
    days.setdefault(when.strftime("%Y-%m-%d"), []).extend(lines)

t2 = now - datetime.timedelta(days=2, hours=1)
put(t2, deploy(t2, "aaaa0001", "alpha", "f1", "abc1234", sha(1), sha(0), outcome="deployed",
               layers=["arn:aws:lambda:eu-west-1:111122223333:layer:common-py:7"], package=None))
t40 = now - datetime.timedelta(days=40)
put(t40, deploy(t40, "eeee0001", "alpha", "f1", "0ld0ld0", sha(0), None, outcome="deployed",
                layers=[], package=None))
t1 = now - datetime.timedelta(minutes=50)
put(t1, deploy(t1, "bbbb0001", "alpha", "f1", "abc1234+dirty", None, sha(1), outcome="failed",
               layers=[], package=None,
               error={"code": "Throttled", "message": "Rate exceeded", "fix": "retry later"}))
put(t1, deploy(t1, "dddd0001", "sandbox", "f1", "abc1234", sha(5), sha(4), outcome="deployed",
               layers=[], package=None))
t0 = now - datetime.timedelta(minutes=20)
put(t0, [rec(t0, "cccc0001", "queued", who="bob", on=host, pid=dead.pid, env="alpha",
             function="f2", remote="datalake-alpha-f2", kind="code", special=True,
             commit="def5678", order=2),
         rec(t0, "cccc0001", "step", who="bob", on=host, pid=dead.pid, step="upload", state="running")])
t00 = now - datetime.timedelta(minutes=10)
put(t00, deploy(t00, "ffff0001", "alpha", "f1", "abc1235", sha(2), sha(1), outcome="deployed",
                layers=["arn:aws:lambda:eu-west-1:111122223333:layer:common-py:8"], package=None))
# The package of ffff0001 is kept; aaaa0001's is not.
pk = state + "/packages/alpha/f1"
os.makedirs(pk, exist_ok=True)
open(pk + "/" + (bytes([2]) * 32).hex() + ".zip", "w").write("zip")

today = now.strftime("%Y-%m-%d")
for day, lines in days.items():
    with open("%s/journal/%s.jsonl" % (state, day), "w") as f:
        for i, l in enumerate(lines):
            f.write(l + "\n")
            if day == today and i == 1:
                f.write("this is not json\n")
        if day == today:
            # A dlc killed mid-write: half a record, no newline.
            f.write('{"t":"%s","job":"ffff0002","ev":"que' % now.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
print(today)
for day, lines in days.items():
    print(day, len(lines) + (2 if day == today else 0))
PY
today=$(head -1 "$WORK/seed.out")
[ -n "$today" ] && pass "journal files written" || fail "journal files written" "$(cat "$WORK/seed.out")"
lines_today=$(sed -n "s/^$today //p" "$WORK/seed.out")
jfile="$XDG_STATE_HOME/dlc/journal/$today.jsonl"

run "$DLC" history -e alpha
expect_status "history exits 0 despite the torn and garbage lines" 0
expect_contains "the torn last line is named, file and line" \
	"dlc: warning: $jfile line $lines_today: torn last line" "$ERR"
expect_contains "the garbage line is named, file and line" "$jfile line 3: not a JSON record" "$ERR"
expect_contains "a deployment: job id" "ffff0001" "$OUT"
expect_contains "who: user@host" "ann@hostA" "$OUT"
expect_contains "the commit" "abc1235" "$OUT"
expect_contains "a dirty commit" "abc1234+dirty" "$OUT"
expect_contains "a failure with its code" "failed (Throttled)" "$OUT"
expect_contains "a job whose dlc died is interrupted at its step" "interrupted at upload" "$OUT"
expect_contains "layers by name and version" "common-py:8" "$OUT"
expect_contains "the CodeSha256, shortened" "AgICAgICAgIC" "$OUT"
expect_not_contains "sandbox's jobs are not alpha's" "dddd0001" "$OUT"
expect_not_contains "40 days ago is past the default 30" "eeee0001" "$OUT"
expect_not_contains "the torn record is not shown" "ffff0002" "$OUT"
# Newest first: the header, then ffff0001, cccc0001, bbbb0001, aaaa0001.
order=$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $2 }' | tr '\n' ' ')
expect_equal "newest first" "ffff0001 cccc0001 bbbb0001 aaaa0001 " "$order"
expect_contains "header" "WHEN" "$(printf '%s\n' "$OUT" | head -1)"
kept_f=$(printf '%s\n' "$OUT" | awk '$2 == "ffff0001" { print $NF }')
kept_a=$(printf '%s\n' "$OUT" | awk '$2 == "aaaa0001" { print $NF }')
kept_b=$(printf '%s\n' "$OUT" | awk '$2 == "bbbb0001" { print $NF }')
expect_equal "a kept package says yes" "yes" "$kept_f"
expect_equal "a package not kept says no" "no" "$kept_a"
expect_equal "a failed job has no package to keep" "-" "$kept_b"

run "$DLC" history -e alpha -o json
expect_status "history -o json exits 0" 0
"$PYTHON3" - "$WORK/out" "$jfile" "$lines_today" >"$WORK/check" 2>&1 <<'PY'
import base64, json, sys
doc = json.load(open(sys.argv[1]))
assert doc["Environment"] == "alpha" and doc["Days"] == 30, doc
jobs = {j["Job"]: j for j in doc["Jobs"]}
assert [j["Job"] for j in doc["Jobs"]] == ["ffff0001", "cccc0001", "bbbb0001", "aaaa0001"], list(jobs)
f = jobs["ffff0001"]
sha = lambda n: base64.b64encode(bytes([n]) * 32).decode()
assert f["CodeSha256"] == sha(2) and f["PreviousSha256"] == sha(1), f
assert f["Layers"] == ["arn:aws:lambda:eu-west-1:111122223333:layer:common-py:8"], f
assert f["PackageKept"] is True and f["Package"].endswith("/packages/alpha/f1/" + (bytes([2]) * 32).hex() + ".zip"), f
assert f["User"] == "ann" and f["Host"] == "hostA" and f["Commit"] == "abc1235", f
assert f["Outcome"] == "deployed" and f["State"] == "ended" and f["Kind"] == "code", f
assert f["QueuedAt"].endswith("Z") and f["EndedAt"] is not None, f
assert jobs["aaaa0001"]["PackageKept"] is False, jobs["aaaa0001"]
b = jobs["bbbb0001"]
assert b["PackageKept"] is None and b["Error"] == {"Code": "Throttled", "Message": "Rate exceeded", "Fix": "retry later"}, b
c = jobs["cccc0001"]
assert c["Outcome"] == "interrupted at upload" and c["State"] == "interrupted" and c["Special"] is True and c["Step"] == "upload", c
sk = doc["SkippedLines"]
assert [(s["File"], s["Line"]) for s in sk] == [(sys.argv[2], 3), (sys.argv[2], int(sys.argv[3]))], sk
print("ok")
PY
expect_equal "history JSON: shas, layers, kept package, error, interrupted, skipped lines" "ok" "$(cat "$WORK/check")"

run "$DLC" history -e alpha f2
expect_status "history of one function" 0
expect_contains "its job" "cccc0001" "$OUT"
expect_not_contains "not the others" "ffff0001" "$OUT"
run "$DLC" history -e alpha datalake-alpha-f2
expect_contains "by remote name too" "cccc0001" "$OUT"
run "$DLC" history -e alpha -n 1
expect_equal "-n 1: the newest only" "2" "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')"
expect_contains "-n 1: the newest" "ffff0001" "$OUT"
run "$DLC" history -e alpha --days 45
expect_contains "--days 45 reaches 40 days back" "eeee0001" "$OUT"
run "$DLC" history -e sandbox
expect_contains "sandbox has its own" "dddd0001" "$OUT"
run "$DLC" history -e alpha nosuchfn
expect_status "no jobs is not an error" 0
expect_contains "says so" "no jobs in alpha in the last 30 days for nosuchfn" "$OUT"

run "$DLC" history -e nosuch
expect_status "an unknown environment fails" 1
expect_contains "names it and the known ones" "no environment 'nosuch'" "$ERR"
run "$DLC" history
expect_status "no -e is a usage error" 2
run "$DLC" history -e alpha --days 0
expect_status "--days 0 is a usage error" 2
run "$DLC" history -e alpha a b
expect_status "two functions is a usage error" 2

# An empty state folder: nothing yet, no error.
run env XDG_STATE_HOME="$WORK/empty" "$DLC" history -e alpha
expect_status "no journal yet is no error" 0
expect_contains "says so" "no jobs in alpha" "$OUT"

finish
