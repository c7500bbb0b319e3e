# SPDX-License-Identifier: GPL-3.0-or-later
"""The secret canary finds what it must and nothing else (TAP)."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import secret_canary  # noqa: E402

CASES = [
    # (line logged, kinds the canary must report)
    ("eimza-DEBUG: certificate of Ahmet Yılmaz", {"name"}),
    ("eimza-DEBUG: subject CN=AHMET YILMAZ", {"name"}),
    ("eimza-DEBUG: login tckn=10000000146", {"T.C. Kimlik No"}),
    ("eimza-DEBUG: PIN 123456 accepted", {"PIN"}),
    ("eimza-DEBUG: word Kelebek42", {"security word"}),
    ("eimza-DEBUG: object at 0x7f1234567a and port 41234", set()),
    ("eimza-DEBUG: GET /bp/sms.go -> 200", set()),
]


def main():
    secret_canary.secret("PIN", "123456")
    secret_canary.secret("T.C. Kimlik No", "10000000146")
    secret_canary.secret("security word", "Kelebek42")
    secret_canary.name("AHMET YILMAZ")
    print("1..%d" % (len(CASES) + 1))
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (line, kinds) in enumerate(CASES, 1):
            path = os.path.join(tmp, "case-%d.log" % i)
            with open(path, "w", encoding="utf-8") as f:
                f.write(line + "\n")
            secret_canary._files[:] = [path]
            found = {kind for kind, _path, _line in secret_canary.findings()}
            ok = found == kinds
            failed += not ok
            print("%s %d - %r: found %s" % ("ok" if ok else "not ok", i, line, sorted(found)))
        secret_canary._files[:] = [os.path.join(tmp, "case-3.log")]
        try:
            secret_canary.check_nothing_logged()
            ok = False
        except AssertionError as exc:
            ok = "10000000146" not in str(exc)
        failed += not ok
        print("%s %d - a finding fails the check without showing the value"
              % ("ok" if ok else "not ok", len(CASES) + 1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
