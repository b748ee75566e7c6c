#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Drives an interactive tool (openssl s_client/s_server, tern connect) through its stdin.

Usage: interactive_driver.py TRANSCRIPT STEP... -- COMMAND...
Steps, in order:
  expect:TEXT    wait (at most 20 s) until TEXT has appeared in the output, counted from the
                 start, as many times as earlier expect: steps asked for it, plus one
  send:TEXT      write TEXT to the command's stdin (\\r, \\n and \\xNN escapes)
  sleep:SECONDS  wait
  close          close the command's stdin
The command's stdout and stderr (merged) go to TRANSCRIPT as they arrive (a script may
watch it, e.g. for a server's "ACCEPT"). Prints "ok STEP" or
"FAILED STEP" per step; stops at the first failure; at the end closes stdin, waits at most
10 s for the command and kills it if it is still running. Exits 1 if a step failed.
"""
import os
import select
import subprocess
import sys
import time

split = sys.argv.index("--")
transcript, steps, command = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
seen = b""
wanted = {}
log = open(transcript, "wb")


def read_until(predicate, seconds=20):
    global seen
    deadline = time.monotonic() + seconds
    while not predicate(seen):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
            return False
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            return predicate(seen)
        seen += chunk
        log.write(chunk)
        log.flush()
    return True


def unescape(text):
    return text.encode().decode("unicode_escape").encode("latin-1")


failed = False
for step in steps:
    kind, _, arg = step.partition(":")
    passed = True
    if kind == "expect":
        needle = unescape(arg)
        wanted[needle] = wanted.get(needle, 0) + 1
        count = wanted[needle]
        passed = read_until(lambda s: s.count(needle) >= count)
    elif kind == "send":
        try:
            proc.stdin.write(unescape(arg))
            proc.stdin.flush()
        except BrokenPipeError:
            passed = False
    elif kind == "sleep":
        time.sleep(float(arg))
    elif kind == "close":
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    print(("ok " if passed else "FAILED ") + step, flush=True)
    if not passed:
        failed = True
        break
try:
    proc.stdin.close()
except BrokenPipeError:
    pass
read_until(lambda s: False, 2)  # what the command still says
try:
    proc.wait(10)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
read_until(lambda s: False, 0.5)
log.close()
sys.exit(1 if failed else 0)
