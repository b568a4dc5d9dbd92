#!/usr/bin/env python3
"""Hot spots of a JFR recording: `jfr_top.py FILE [N]` prints the N (default 25) methods most often on top of
the sampled stacks ("self") and most often anywhere in them ("total"), from jdk.ExecutionSample events.
Uses the JDK's `jfr` tool; stacks are truncated at JFR's default depth (64), which is enough for attribution."""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                      capture_output=True, text=True, check=True).stdout
self_counts, total_counts = collections.Counter(), collections.Counter()
samples = 0
frame = re.compile(r"^\s+([\w$.<>/]+(?:\([^)]*\))?)\s+line:")
for event in text.split("jdk.ExecutionSample")[1:]:
    stack = []
    for line in event.splitlines():
        m = frame.match(line)
        if m:
            stack.append(re.sub(r"\(.*\)", "", m.group(1)))
    if not stack:
        continue
    samples += 1
    self_counts[stack[0]] += 1
    for method in set(stack):
        total_counts[method] += 1
print(f"{samples} samples")
print("--- self (top of stack)")
for m, c in self_counts.most_common(n):
    print(f"{100 * c / samples:5.1f}%  {m}")
print("--- total (anywhere in stack), dev.extstorage and selected libraries")
shown = 0
for m, c in total_counts.most_common():
    if m.startswith(("dev.extstorage", "org.jdbi", "com.zaxxer", "org.sqlite", "org.postgresql", "redis.",
                     "ch.qos.logback", "com.auth0", "com.fasterxml", "io.javalin.http.servlet", "org.flywaydb",
                     "java.security", "javax.crypto", "com.github.benmanes")):
        print(f"{100 * c / samples:5.1f}%  {m}")
        shown += 1
        if shown >= n * 2:
            break
