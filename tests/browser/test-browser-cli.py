#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""eimza-asistan --setup-browsers / --check-browsers, the built program
without a display, on real NSS databases (certutil; checked with modutil
-list) in a private home: output and exit statuses."""

import os
import shutil
import subprocess
import sys
import tempfile

APP = os.environ["EIMZA_ASISTAN"]
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
NAME = "E-İmza Asistanı"

results = []


def case(func):
    results.append(func)
    return func


def run_app(home, *args, path=None):
    env = dict(os.environ, HOME=home, LC_ALL="C.UTF-8", LANGUAGE="")
    if path is not None:
        env["PATH"] = path
    return subprocess.run([APP, *args], env=env, capture_output=True, text=True, timeout=120)


def make_nssdb(directory):
    os.makedirs(directory, exist_ok=True)
    subprocess.run(["certutil", "-N", "--empty-password", "-d", "sql:" + directory],
                   check=True, capture_output=True)


def modutil_list(directory):
    return subprocess.run(["modutil", "-list", "-dbdir", "sql:" + directory],
                          check=True, capture_output=True, text=True).stdout


class Home:
    """A home with a Firefox profile (profiles.ini) and Chromium's nssdb."""

    def __init__(self, firefox=True, chromium=True):
        self.path = tempfile.mkdtemp(prefix="eimza-browser-cli-")
        self.firefox = os.path.join(self.path, ".mozilla/firefox/c1i.default-esr")
        self.nssdb = os.path.join(self.path, ".pki/nssdb")
        if firefox:
            make_nssdb(self.firefox)
            with open(os.path.join(self.path, ".mozilla/firefox/profiles.ini"), "w") as f:
                f.write("[Profile0]\nName=default-esr\nIsRelative=1\nPath=c1i.default-esr\n"
                        "Default=1\n\n[General]\nStartWithLastProfile=1\n")
        if chromium:
            make_nssdb(self.nssdb)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path)


def expect(condition, what, result=None):
    if not condition:
        detail = ""
        if result is not None:
            detail = "\n# exit %d\n# stdout: %s\n# stderr: %s" % (
                result.returncode, result.stdout.replace("\n", "\n# "),
                result.stderr.replace("\n", "\n# "))
        raise AssertionError(what + detail)


@case
def check_then_setup_then_check():
    with Home() as home:
        r = run_app(home.path, "--check-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 1, "check before set-up exits 1", r)
        expect("Card module: " + MODULE in r.stdout, "names the module", r)
        expect(r.stdout.count("Not set up: the card’s module is not registered.") == 2,
               "both browsers not set up", r)
        expect('Firefox, profile “default-esr”' in r.stdout, "names the Firefox profile", r)
        expect("2 browsers are not set up for the card." in r.stderr, "says how many", r)

        r = run_app(home.path, "--setup-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 0, "set-up exits 0", r)
        expect(r.stdout.count("Registered.") == 2, "registers both", r)
        for db in (home.firefox, home.nssdb):
            listed = modutil_list(db)
            expect(NAME in listed and "library name: " + MODULE in listed,
                   "modutil -list shows the module in " + db)

        r = run_app(home.path, "--check-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 0, "check after set-up exits 0", r)
        expect(r.stdout.count("Set up: the card’s module is registered.") == 2,
               "both set up", r)

        # Once more: nothing to do, still fine, no second registration.
        r = run_app(home.path, "--setup-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 0 and "Registered." not in r.stdout, "a second run changes nothing", r)
        expect(modutil_list(home.nssdb).count(NAME) == 1, "one registration")


@case
def running_firefox_is_left_alone():
    with Home() as home:
        sleeper = subprocess.Popen(["sleep", "120"])
        try:
            os.symlink("127.0.1.1:+%d" % sleeper.pid, os.path.join(home.firefox, "lock"))
            r = run_app(home.path, "--setup-browsers", "--pkcs11-module", MODULE)
            expect(r.returncode == 1, "set-up with Firefox running exits 1", r)
            expect("Firefox is open with this profile, so nothing was changed." in r.stderr,
                   "says Firefox must be closed", r)
            expect("1 browser could not be set up." in r.stderr, "counts it", r)
            expect(NAME not in modutil_list(home.firefox), "Firefox's database untouched")
            expect(NAME in modutil_list(home.nssdb), "Chromium set up all the same")
        finally:
            sleeper.kill()
            sleeper.wait()
        r = run_app(home.path, "--setup-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 0, "after Firefox quit, set-up succeeds", r)


@case
def snap_firefox_only():
    with Home(firefox=False, chromium=False) as home:
        snap = os.path.join(home.path, "snap/firefox/common/.mozilla/firefox/s1.default")
        make_nssdb(snap)
        r = run_app(home.path, "--setup-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 1, "only a snap browser: exits 1", r)
        expect("Firefox (snap)" in r.stdout and "snap package" in r.stdout,
               "explains the snap", r)
        expect("No browser on this computer can use the card" in r.stderr, "says so", r)
        expect(NAME not in modutil_list(snap), "the snap's database untouched")


@case
def no_browser_at_all():
    with Home(firefox=False, chromium=False) as home:
        r = run_app(home.path, "--check-browsers", "--pkcs11-module", MODULE)
        expect(r.returncode == 1 and "No browser was found" in r.stderr, "nothing found", r)


@case
def missing_module_and_usage():
    with Home() as home:
        r = run_app(home.path, "--setup-browsers", "--pkcs11-module", "/nonexistent/libx.so")
        expect(r.returncode == 2, "a module that does not exist: exit 2", r)
        expect("/nonexistent/libx.so does not exist" in r.stderr, "says so", r)
        r = run_app(home.path, "--setup-browsers", "--check-browsers")
        expect(r.returncode == 2 and "Usage:" in r.stderr, "both at once: usage", r)
        r = run_app(home.path, "--setup-browsers", "--no-such-option")
        expect(r.returncode == 2, "unknown option: usage", r)


@case
def without_modutil():
    with Home() as home:
        r = run_app(home.path, "--setup-browsers", "--pkcs11-module", MODULE, path="/nonexistent")
        expect(r.returncode == 1, "without modutil: exit 1", r)
        expect("install the libnss3-tools package" in r.stdout + r.stderr, "names the package", r)


def main():
    for tool in ("modutil", "certutil"):
        if shutil.which(tool) is None:
            print("1..0 # SKIP needs %s (libnss3-tools)" % tool)
            return 0
    if not os.path.exists(MODULE):
        print("1..0 # SKIP needs %s (softhsm2)" % MODULE)
        return 0
    print("1..%d" % len(results))
    failed = 0
    for number, func in enumerate(results, 1):
        try:
            func()
            print("ok %d - %s" % (number, func.__name__))
        except Exception as error:  # noqa: BLE001 - every failure is reported
            failed += 1
            print("not ok %d - %s\n# %s" % (number, func.__name__,
                                            str(error).replace("\n", "\n# ")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
