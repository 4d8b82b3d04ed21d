#!/usr/bin/env python3
"""The layout terraform fmt gives, checked without terraform (not in
Debian): blocks and brackets balanced, two spaces per level, no tabs or
trailing blanks, one newline at the end, no two blank lines in a row, and
in every run of consecutive one-line attributes the '=' one column after
the longest name. Prints the top-level blocks as JSON ([{"block": 'resource
"aws_x" "y"', "attrs": {NAME: VALUE}}], attributes of the block itself
only) for the caller's assertions; exits 1 with the problems on stderr."""
import json
import re
import sys

ATTR = re.compile(r'^( *)([A-Za-z_][A-Za-z0-9_-]*)( *)= (.*)$')


def scan(line):
    """(net bracket change, where a closing bracket starts the line, code
    without strings and comments)."""
    code, in_str, i = [], False, 0
    while i < len(line):
        c = line[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
            code.append(" ")
        elif c == '"':
            in_str = True
            code.append(" ")
        elif c == "#" or line.startswith("//", i):
            break
        else:
            code.append(c)
        i += 1
    code = "".join(code)
    net = sum(code.count(c) for c in "{[(") - sum(code.count(c) for c in "}])")
    return net, code.lstrip()[:1] in ("}", "]", ")"), code, in_str


def check(text):
    problems = []
    lines = text.split("\n")
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append("the file must end with exactly one newline")
    lines = lines[:-1] if text.endswith("\n") else lines
    depth, blank, blocks, current, run = 0, 0, [], None, []

    def close_run():
        if run:
            widest = max(len(ind) + len(name) for _, ind, name, _ in run)
            for no, ind, name, spaces in run:
                if len(ind) + len(name) + len(spaces) != widest + 1:
                    problems.append(f"line {no}: '=' not aligned with its run "
                                    f"(column {len(ind) + len(name) + len(spaces)}, want {widest + 1})")
        run.clear()

    for no, line in enumerate(lines, 1):
        if "\t" in line:
            problems.append(f"line {no}: a tab")
        if line != line.rstrip():
            problems.append(f"line {no}: trailing blanks")
        if not line.strip():
            blank += 1
            if blank > 1:
                problems.append(f"line {no}: two blank lines in a row")
            close_run()
            continue
        blank = 0
        net, closes, code, open_str = scan(line)
        if open_str:
            problems.append(f"line {no}: a string left open")
        want = 2 * (depth - 1 if closes else depth)
        indent = len(line) - len(line.lstrip(" "))
        if indent != want:
            problems.append(f"line {no}: indented {indent}, want {want}")
        m = ATTR.match(line)
        if m and net == 0 and not line.lstrip().startswith("#"):
            run.append((no, m.group(1), m.group(2), m.group(3)))
            if depth == 1 and current is not None:
                current["attrs"][m.group(2)] = m.group(4)
        else:
            close_run()
            if depth == 0 and net > 0 and code.rstrip().endswith("{"):
                current = {"block": line[:line.rindex("{")].strip(), "attrs": {}}
                blocks.append(current)
            elif m and net > 0 and depth == 1 and current is not None:
                current["attrs"][m.group(2)] = m.group(4)
        depth += net
        if depth < 0:
            problems.append(f"line {no}: a bracket closes what was never opened")
            depth = 0
    close_run()
    if depth != 0:
        problems.append(f"{depth} bracket(s) left open at the end")
    return blocks, problems


def main():
    text = open(sys.argv[1]).read()
    blocks, problems = check(text)
    for p in problems:
        print(f"{sys.argv[1]}: {p}", file=sys.stderr)
    print(json.dumps(blocks, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
