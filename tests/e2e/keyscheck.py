"""Compares the console's keys as `dlc --keys` prints them (from the one key
table, ui/keys.c) with man/dlc.1's Keys and Commands sections: the same
views, the same key names in each view, the same commands. Prints each
difference and exits 1 when there is one.

usage: keyscheck.py KEYS-OUTPUT-FILE MAN-PAGE
"""
import re
import sys


def parse_keys(text):
    """{view: set of key names}, set of command names."""
    views, commands, cur = {}, set(), None
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            cur = line[:-1]
            if not cur.startswith("Commands"):
                views.setdefault(cur, set())
            continue
        if not line.startswith("  ") or cur is None:
            continue
        # Names, then two spaces or more, then the description.
        names = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        if cur.startswith("Commands"):
            commands.add(names.split()[0])
        else:
            views[cur].update(names.split())
    return views, commands


def unroff(s):
    s = re.sub(r"\\f[BIRP]", "", s)
    return s.replace("\\-", "-").replace("\\(em", "-").replace("\\&", "")


def tag_names(tag):
    """The bold words of a .TP tag: .B x, .BR a ", " b, .BI :env " NAME"."""
    m = re.match(r"\.(B|BR|BI|IR|RB)\s+(.*)", tag)
    if m is None:
        return []
    macro, rest = m.group(1), m.group(2)
    words = re.findall(r'"([^"]*)"|(\S+)', rest)
    words = [a if a else b for a, b in words]
    # In .BR/.BI the odd words are bold; .B is all bold.
    if macro == "B":
        bold = [" ".join(words)]
    else:
        bold = words[0::2] if macro[0] == "B" else words[1::2]
    out = []
    for w in bold:
        out.extend(unroff(w).replace(",", " ").split())
    return out


def parse_man(text):
    views, commands = {}, set()
    section, cur, after_pp, after_tp = None, None, False, False
    for line in text.splitlines():
        if line.startswith(".SS ") or line.startswith(".SH "):
            section = line[4:].strip().strip('"')
            cur = None
            continue
        if section not in ("Keys", "Commands"):
            continue
        if line.startswith(".PP"):
            after_pp = True
            continue
        if line.startswith(".TP"):
            after_tp = True
            continue
        if after_tp:
            after_tp = False
            names = tag_names(line)
            if section == "Commands":
                commands.update(n for n in names if n.startswith(":"))
            elif cur is not None:
                views[cur].update(names)
            continue
        if after_pp and section == "Keys" and unroff(line).endswith(":"):
            cur = unroff(line)[:-1]
            views.setdefault(cur, set())
        after_pp = False
    return views, commands


def main():
    keys_views, keys_cmds = parse_keys(open(sys.argv[1]).read())
    man_views, man_cmds = parse_man(open(sys.argv[2]).read())
    bad = []
    if not keys_views:
        bad.append("dlc --keys lists no view")
    for v in sorted(set(keys_views) | set(man_views)):
        if v not in man_views:
            bad.append("view '%s' is in dlc --keys, not in man/dlc.1" % v)
            continue
        if v not in keys_views:
            bad.append("view '%s' is in man/dlc.1, not in dlc --keys" % v)
            continue
        for k in sorted(keys_views[v] - man_views[v]):
            bad.append("%s: key %s is in the key table, not in man/dlc.1" % (v, k))
        for k in sorted(man_views[v] - keys_views[v]):
            bad.append("%s: key %s is in man/dlc.1, not in the key table" % (v, k))
    for c in sorted(keys_cmds - man_cmds):
        bad.append("command %s is in the command table, not in man/dlc.1" % c)
    for c in sorted(man_cmds - keys_cmds):
        bad.append("command %s is in man/dlc.1, not in the command table" % c)
    for b in bad:
        print(b)
    if not bad:
        print("%d views, %d keys, %d commands agree" % (
            len(keys_views), sum(len(s) for s in keys_views.values()),
            len(keys_cmds)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
