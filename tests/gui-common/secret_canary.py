# SPDX-License-Identifier: GPL-3.0-or-later
"""The secret canary: nothing a person types or owns may reach a log.

Every GUI suite runs the app and the simulators with G_MESSAGES_DEBUG=all;
the suites register the secrets they use (PIN, T.C. Kimlik No, SMS codes,
security word, names) and every file the programs log to (or that is meant
to be shared, like the diagnostics report). run_checks() ends each suite
with a scan of those files. A scan with no secret or no file registered
fails: a canary that cannot sing proves nothing.
"""

import os
import re
import unicodedata

_secrets = {}   # normalised value -> kind ("PIN", "T.C. Kimlik No", ...)
_files = []     # paths, in registration order


def _normalise(text):
    """Case and Turkish dots folded, so "Yılmaz", "YILMAZ" and "yilmaz"
    are one name."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold().replace("ı", "i")


def secret(kind, value):
    """Register a value that must never be logged (ignored if empty)."""
    value = (value or "").strip()
    if value:
        _secrets[_normalise(value)] = kind


def name(full_name):
    """Register a person's name: the whole and each part of three letters
    or more."""
    secret("name", full_name)
    for part in (full_name or "").split():
        if len(part) >= 3:
            secret("name", part)


def log_file(path):
    """Register a file that the app or a simulator logs to."""
    if path not in _files:
        _files.append(path)


def _pattern(value):
    # Not a part of a longer word or number ("123456" in "0x7f1234567").
    return re.compile(r"(?<![0-9a-z])" + re.escape(value) + r"(?![0-9a-z])")


def findings():
    """[(kind, file, line number)] of every secret found, never the value."""
    patterns = [(kind, _pattern(value)) for value, kind in _secrets.items()]
    found = []
    for path in _files:
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                line = _normalise(line)
                for kind, pattern in patterns:
                    if pattern.search(line):
                        found.append((kind, path, number))
    return found


def check_nothing_logged():
    """The suite's last check; raises AssertionError naming kind, file and
    line of every secret found."""
    if not _secrets:
        raise AssertionError("the secret canary has no secret to look for")
    scanned = [p for p in _files if os.path.exists(p)]
    if not scanned:
        raise AssertionError("the secret canary found no log to scan (registered: %r)" % _files)
    found = findings()
    if found:
        raise AssertionError("secrets in the logs (value not shown):\n" + "\n".join(
            "  %s in %s, line %d" % f for f in found[:30]))
    print("# secret canary: %d secrets, none in %d files (%s)"
          % (len(_secrets), len(scanned), ", ".join(os.path.basename(p) for p in scanned)),
          flush=True)
